// Measuring for `npm run bench`: order statistics, the paired-ratio rule,
// how much of the machine other processes used during a round, and a
// process's peak resident memory (Linux /proc).
import fs from 'node:fs';

export function quantile(values, q) {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	const at = (sorted.length - 1) * q;
	const low = Math.floor(at);
	const high = Math.ceil(at);
	return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

export const median = (values) => quantile(values, 0.5);

/**
 * The figure of a paired benchmark: the median of the per-pair ratios, with
 * their spread (min, max) and how many pairs were disturbed by other load.
 */
export function summarisePairs(pairs) {
	const ratios = pairs.map((pair) => pair.ratio);
	return {
		ratio: median(ratios),
		min: Math.min(...ratios),
		max: Math.max(...ratios),
		pairs: pairs.length,
		disturbedPairs: pairs.filter((pair) => pair.disturbed).length,
	};
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

function readProcStat() {
	// cpu  user nice system idle iowait irq softirq steal ...
	const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
	const idle = fields[3] + (fields[4] ?? 0);
	const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
	return { busy: total - idle, total };
}

/** CPU ticks used so far by the processes of these process groups: { total, byGroup }. */
function groupTicks(groups) {
	let ticks = 0;
	const byGroup = new Map([...groups].map((group) => [group, 0]));
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat;
		try {
			stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue; // gone meanwhile
		}
		// pid (comm) state ppid pgrp ... utime(14) stime(15): comm may contain spaces
		const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const pgrp = Number(rest[2]);
		if (!groups.has(pgrp)) continue;
		const used = Number(rest[11]) + Number(rest[12]);
		ticks += used;
		byGroup.set(pgrp, byGroup.get(pgrp) + used);
	}
	return { total: ticks, byGroup };
}

/**
 * A meter of the machine's other load: start() before a round, stop() after;
 * stop() gives { otherCores, ownCores, cores, cpuMs, loadavg } where
 * otherCores is the CPU (in cores, averaged over the round) used by processes
 * outside the bench's own process groups (this script and its sandbox, n8n
 * and its task runner), and cpuMs the CPU time of each own group by its label.
 * ownGroups: { label: process group id }.
 */
export function loadMeter(ownGroups) {
	const labels = new Map(Object.entries(ownGroups).map(([label, group]) => [group, label]));
	const groups = new Set(labels.keys());
	let start;
	return {
		start() {
			start = { at: process.hrtime.bigint(), proc: readProcStat(), own: groupTicks(groups) };
		},
		stop() {
			const seconds = Number(process.hrtime.bigint() - start.at) / 1e9;
			const proc = readProcStat();
			const own = groupTicks(groups);
			const busyTicks = proc.busy - start.proc.busy;
			const ownTicks = own.total - start.own.total;
			const cpuMs = {};
			for (const [group, label] of labels) cpuMs[label] = ((own.byGroup.get(group) - start.own.byGroup.get(group)) * 1000) / CLOCK_TICKS;
			return {
				seconds,
				cores: Math.round(((busyTicks / CLOCK_TICKS) / seconds) * 100) / 100,
				ownCores: Math.round(((ownTicks / CLOCK_TICKS) / seconds) * 100) / 100,
				otherCores: Math.max(0, Math.round((((busyTicks - ownTicks) / CLOCK_TICKS) / seconds) * 100) / 100),
				cpuMs,
				loadavg: Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
			};
		},
	};
}

function statusKiB(pid, field) {
	const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) : NaN;
}

/**
 * Peak resident memory of a process between reset() and peakMiB(): Linux
 * keeps the high-water mark in VmHWM, and writing 5 to clear_refs resets it to
 * the current resident size.
 */
export function peakMemory(pid) {
	return {
		reset() {
			fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
			return statusKiB(pid, 'VmRSS') / 1024;
		},
		peakMiB: () => statusKiB(pid, 'VmHWM') / 1024,
		rssMiB: () => statusKiB(pid, 'VmRSS') / 1024,
	};
}
