import { z } from 'zod';
import { version } from 'zod/package.json';

import { schemaFor } from '../../nodes/TartanResend/searchTypes';

/** Runs only in the "zod 3" jest project (the zod the package compiles against, as n8n ships it). */
describe('the zod the nodes load in this project', () => {
	it('is zod 3.25.67', () => {
		expect(version).toBe('3.25.67');
		expect((z as unknown as Record<string, unknown>).toJSONSchema).toBeUndefined();
	});

	it('builds the nodes\' schemas as zod 3 schemas (no `_zod`)', () => {
		const schema = schemaFor('sync_session', { relaxIds: false, timeZone: 'UTC' });
		expect(schema).not.toHaveProperty('_zod');
		expect(schema).toHaveProperty('_def');
	});
});
