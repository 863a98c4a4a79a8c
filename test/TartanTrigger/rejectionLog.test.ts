import { RejectionLog, refusalKey, refusalLine, type Refusal } from '../../nodes/TartanTrigger/rejectionLog';

const refusal: Refusal = {
	reason: 'signature_mismatch',
	status: 401,
	workflowId: '42',
	workflowName: 'HR sync',
	node: 'Tartan Trigger',
	remoteAddress: '198.51.100.4',
	bodyBytes: 1234,
};

describe('RejectionLog (rate limit of refusal lines)', () => {
	it('lets the first line of a kind through, holds back the rest of the window, then reports how many were held back', () => {
		const log = new RejectionLog(60_000);
		expect(log.admit('k', 1_000)).toEqual({ log: true, heldBack: 0 });
		for (let t = 1_001; t < 61_000; t += 1_000) expect(log.admit('k', t)).toEqual({ log: false });
		expect(log.admit('k', 61_000)).toEqual({ log: true, heldBack: 60 });
		expect(log.admit('k', 61_001)).toEqual({ log: false });
		expect(log.admit('k', 200_000)).toEqual({ log: true, heldBack: 1 });
	});

	it('keeps kinds apart', () => {
		const log = new RejectionLog(60_000);
		expect(log.admit('a', 0).log).toBe(true);
		expect(log.admit('b', 1).log).toBe(true);
		expect(log.admit('a', 2).log).toBe(false);
	});

	it('remembers a bounded number of kinds, forgetting the oldest first', () => {
		const log = new RejectionLog(60_000, 3);
		for (const key of ['a', 'b', 'c', 'd']) expect(log.admit(key, 0).log).toBe(true);
		// 'a' was forgotten to make room for 'd'; 'b' is still in its window
		expect(log.admit('a', 1).log).toBe(true);
		expect(log.admit('c', 1).log).toBe(false);
	});

	it('keys by workflow, node and reason', () => {
		expect(refusalKey(refusal)).toBe(refusalKey({ ...refusal, remoteAddress: 'x', bodyBytes: 1 }));
		expect(refusalKey(refusal)).not.toBe(refusalKey({ ...refusal, reason: 'missing_signature' }));
		expect(refusalKey(refusal)).not.toBe(refusalKey({ ...refusal, workflowId: '43' }));
		expect(refusalKey(refusal)).not.toBe(refusalKey({ ...refusal, node: 'Tartan Trigger1' }));
	});
});

describe('refusalLine', () => {
	it('names the reason, status, workflow, node, remote address and body length', () => {
		expect(refusalLine(refusal, 0)).toBe(
			'Tartan Trigger refused a delivery: reason=signature_mismatch status=401 workflow=42 workflowName="HR sync" node="Tartan Trigger" remoteAddress=198.51.100.4 bodyBytes=1234',
		);
	});

	it('says how many like it were held back', () => {
		expect(refusalLine(refusal, 57)).toMatch(/ \(57 more like it since the previous line were not logged: at most one line per 60 s\)$/);
	});

	it('says "ignored" for a 2xx answer', () => {
		expect(refusalLine({ ...refusal, reason: 'event_not_selected', status: 200 }, 0)).toMatch(/^Tartan Trigger ignored a delivery: reason=event_not_selected status=200 /);
	});

	it('keeps user-chosen names on one line and short', () => {
		const line = refusalLine({ ...refusal, workflowName: 'a\nfake: reason=ok\r\n' + 'x'.repeat(200), node: 'My\ttrigger' }, 0);
		expect(line).not.toMatch(/[\r\n\t]/);
		expect(line).toContain('node="My trigger"');
		expect(line).toMatch(/workflowName="a fake: reason=ok x+…"/);
	});
});
