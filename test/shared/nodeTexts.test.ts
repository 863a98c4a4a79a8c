/**
 * What a user of the installed package reads in the editor: node, tool and
 * credential texts. They must make sense without the repository (no npm
 * scripts, no sandbox), and each node has its own icon.
 */
import { TartanApi } from '../../credentials/TartanApi.credentials';
import { TartanBearerApi } from '../../credentials/TartanBearerApi.credentials';
import { TartanUsernamePasswordApi } from '../../credentials/TartanUsernamePasswordApi.credentials';
import { TartanWebhookSigningApi } from '../../credentials/TartanWebhookSigningApi.credentials';
import { TartanResend } from '../../nodes/TartanResend/TartanResend.node';
import { TartanSyncCallback } from '../../nodes/TartanSyncCallback/TartanSyncCallback.node';
import { TartanTrigger } from '../../nodes/TartanTrigger/TartanTrigger.node';

const nodes = [new TartanTrigger(), new TartanResend(), new TartanSyncCallback()];
const credentials = [new TartanApi(), new TartanBearerApi(), new TartanUsernamePasswordApi(), new TartanWebhookSigningApi()];

/** Every string in a description, with where it is. */
function strings(value: unknown, where: string, out: Array<[string, string]> = []): Array<[string, string]> {
	if (typeof value === 'string') out.push([where, value]);
	else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${where}[${i}]`, out));
	else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, `${where}.${k}`, out);
	return out;
}

const texts = [
	...nodes.flatMap((n) => strings(n.description, n.description.name)),
	...credentials.flatMap((c) => strings({ displayName: c.displayName, properties: c.properties }, c.name)),
];

describe('node and credential texts', () => {
	it('name no repository command (npm scripts, the sandbox): they serve an installed package', () => {
		const offending = texts.filter(([, text]) => /\bnpm\b|\bnpx\b|send-event|sandbox|scripts\//i.test(text));
		expect(offending).toEqual([]);
	});

	it('spell option names in n8n\'s title case, without "&" or mixed-case MIME types', () => {
		const names = texts.filter(([where]) => /\.options\[\d+\]\.name$/.test(where)).map(([, text]) => text);
		expect(names).toContain('Username and Password, Multipart Form Data');
		expect(names.filter((name) => /&|form-Data|Multipart\/form/.test(name))).toEqual([]);
	});

	it("the trigger's test-event hint points to the Tartan Console", () => {
		const { triggerPanel } = new TartanTrigger().description;
		const panel = triggerPanel as { header: string; executionsHelp: { inactive: string } };
		expect(panel.header).toMatch(/Tartan Console/);
		expect(panel.executionsHelp.inactive).toMatch(/Tartan Console.*test event/);
	});

	it('each node has its own icon, light and dark', () => {
		const icons = nodes.map((n) => n.description.icon as { light: string; dark: string });
		expect(new Set(icons.map((i) => i.light)).size).toBe(3);
		expect(new Set(icons.map((i) => i.dark)).size).toBe(3);
		for (const icon of icons) expect(icon.dark).toBe(icon.light.replace(/\.svg$/, '.dark.svg'));
	});

	it('the trigger is listed as "Tartan Trigger": no "Events" field for n8n\'s node panel to turn into actions', () => {
		const trigger = new TartanTrigger().description;
		const labels = trigger.properties.map((p) => p.displayName.toLowerCase());
		for (const label of ['event', 'events', 'trigger on']) expect(labels).not.toContain(label);
		expect(trigger.displayName).toBe('Tartan Trigger');
	});
});
