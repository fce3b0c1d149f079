// The job summary: what each traced step reused and ran, the costliest misses and why they ran,
// and what crossed the network. It reads the --stats-json files the steps wrote.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatBytes } from '../cli/common.js';
import type { ExecutionRow, MemoStats } from '../memo/index.js';
import type { PullResult, PushResult } from '../store/remote/sync.js';

export interface StepStats {
  label: string;
  stats: MemoStats;
}

export interface Transfers {
  pull?: Omit<PullResult, 'known'> | null;
  push?: PushResult | null;
  /** why nothing was uploaded, when nothing was */
  noPushWhy?: string | null;
}

function isStats(v: unknown): v is MemoStats {
  const s = v as MemoStats;
  return typeof v === 'object' && v !== null && typeof s.ran === 'number' && typeof s.reused === 'number' && Array.isArray(s.executions);
}

/** The steps' stats in the order they ran (their files are named by start time). */
export function readSteps(dir: string): StepStats[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    try {
      const stats: unknown = JSON.parse(readFileSync(join(dir, n), 'utf8'));
      // "<ns>-<pid>-<step id>.json": the step id is what GITHUB_ACTION named it
      return isStats(stats) ? [{ label: n.replace(/\.json$/, '').split('-').slice(2).join('-') || n, stats }] : [];
    } catch {
      return [];
    }
  });
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
/** A table cell: one line, no pipe, bounded. */
const cell = (s: string, max = 80): string => {
  const one = s.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

export interface Totals {
  reused: number;
  ran: number;
  savedMs: number;
  restoredBytes: number;
}

export function totals(steps: StepStats[]): Totals {
  return steps.reduce((t, s) => ({
    reused: t.reused + s.stats.reused, ran: t.ran + s.stats.ran,
    savedMs: t.savedMs + s.stats.savedMs, restoredBytes: t.restoredBytes + s.stats.bytesRestored,
  }), { reused: 0, ran: 0, savedMs: 0, restoredBytes: 0 });
}

function topMisses(steps: StepStats[], n: number): { step: string; row: ExecutionRow }[] {
  return steps.flatMap((s) => s.stats.executions.filter((r) => r.status !== 'hit').map((row) => ({ step: s.label, row })))
    .sort((a, b) => b.row.durationMs - a.row.durationMs).slice(0, n);
}

/** The summary as Markdown. */
export function summaryMarkdown(steps: StepStats[], transfers: Transfers): string {
  const lines = ['### processcache', ''];
  if (!steps.length) lines.push('No traced step ran in this job.', '');
  else {
    lines.push('| step | reused | ran | time saved | restored |', '| --- | ---: | ---: | ---: | ---: |');
    for (const s of steps) {
      lines.push(`| \`${cell(s.label, 40)}\` | ${s.stats.reused} | ${s.stats.ran} | ${seconds(s.stats.savedMs)} | ${formatBytes(s.stats.bytesRestored)} |`);
    }
    const t = totals(steps);
    if (steps.length > 1) lines.push(`| **all** | ${t.reused} | ${t.ran} | ${seconds(t.savedMs)} | ${formatBytes(t.restoredBytes)} |`);
    lines.push('');
    const misses = topMisses(steps, 10);
    if (misses.length) {
      lines.push('<details><summary>The longest executions that ran, and why</summary>', '',
        '| step | program | time | why it ran |', '| --- | --- | ---: | --- |');
      for (const { step, row } of misses) {
        const why = row.reason ?? (row.status === 'miss' ? 'no recorded run matched (first run, or an input changed)' : row.status);
        lines.push(`| \`${cell(step, 30)}\` | \`${cell(row.argv.join(' '), 60)}\` | ${seconds(row.durationMs)} | ${cell(`${row.status === 'uncacheable' ? 'uncacheable: ' : ''}${why}`, 160)} |`);
      }
      lines.push('', '</details>', '');
    }
  }
  const { pull, push, noPushWhy } = transfers;
  if (pull) {
    lines.push(`**Fetched:** ${pull.segments} index segments, ${pull.entries} entries, ${pull.packs} packs (${formatBytes(pull.bytes)}) in ${seconds(pull.ms)}.`);
  }
  if (push) {
    lines.push(`**Uploaded:** ${push.entries} new entries, ${push.packs} packs (${formatBytes(push.bytes)}), ${push.uploads} cache entries in ${seconds(push.ms)}` +
      `${push.skipped ? `; ${push.skipped} entries left out` : ''}.`);
  } else if (noPushWhy) {
    lines.push(`**Not uploaded:** ${noPushWhy}.`);
  }
  return `${lines.join('\n')}\n`;
}
