import { z } from 'zod';
import { version } from 'zod/package.json';

import { schemaFor } from '../../nodes/TartanResend/searchTypes';

/** Runs only in the "zod 4" jest project: proves that project really gives the nodes zod 4. */
describe('the zod the nodes load in this project', () => {
	it('is zod 4', () => {
		expect(version).toMatch(/^4\./);
		// z.toJSONSchema exists only in zod 4.
		expect(typeof (z as unknown as Record<string, unknown>).toJSONSchema).toBe('function');
	});

	it('builds the nodes\' schemas (zod 4 schemas carry `_zod`, zod 3 ones do not)', () => {
		const schema = schemaFor('sync_session', { relaxIds: false, timeZone: 'UTC' });
		expect(schema).toHaveProperty('_zod');
	});
});
