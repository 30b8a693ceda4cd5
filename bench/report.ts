// The printed table of `npm run bench`: one row per figure, its aim, and whether it was met; and
// the rows of a comparison against a stub called directly (bench/compare.ts), which the boundary
// and the egress proxy share.
import { COMPARE_CONCURRENCY, STREAM_SPACING_MS, type Comparison } from "./compare";
import type { EgressResult } from "./egress";
import type { LoadResult } from "./load";
import type { SessionsResult, TurnComparison } from "./sessions";

export interface Row {
  metric: string;
  value: string;
  aim: string;
  met: boolean | null;
  /**
   * The same figure on this machine's floor, measured in the same run (the bare node:http handler
   * serving the same data), and whether that floor meets the aim itself: an aim the floor misses
   * cannot be met here by any work above it.
   */
  floor?: { value: string; met: boolean };
}

export function fmt(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "n/a";
}

export function atLeast(value: number, aim: number): boolean {
  return Number.isFinite(value) && value >= aim;
}

export function atMost(value: number, aim: number): boolean {
  return Number.isFinite(value) && value <= aim;
}

const ms = (value: number) => `${fmt(value, 2)} ms`;
const signed = (value: number) => `${value >= 0 ? "+" : "−"}${fmt(Math.abs(value), 2)} ms`;
const compare = (direct: number, through: number) => `${ms(direct)} → ${ms(through)}, ${signed(through - direct)}`;

/** Requests that failed and stream events that never arrived, over a comparison's runs. */
export function comparisonFailures(comparison: Comparison): number {
  const { sequential, concurrent, stream } = comparison;
  const loads: LoadResult[] = [sequential.direct, sequential.through, concurrent.direct, concurrent.through];
  // A stream that ended short of its events counts as failed too.
  const missingEvents = [stream.direct, stream.through].reduce((sum, summary) => sum + (summary.expectedEvents - summary.events), 0);
  return loads.reduce((sum, load) => sum + load.errors, 0) + missingEvents;
}

/** What a path may cost at COMPARE_CONCURRENCY connections (issue 14's aims for the boundary). */
export interface ConcurrentAims {
  /** Its throughput as a share of the stub's called directly, at least. */
  share: number;
  /** What it may add to the p99. */
  addedP99Ms: number;
}

/**
 * A path against the stub called directly, in this run; `label` names the path, `aimAddedP50Ms` what
 * it may add, `concurrentAims` what it may cost under concurrent calls (no aim when absent).
 */
export function comparisonRows(label: string, comparison: Comparison, aimAddedP50Ms: number, concurrentAims?: ConcurrentAims): Row[] {
  const { sequential, concurrent, ttfb, stream } = comparison;
  const addedP50 = sequential.through.p50Ms - sequential.direct.p50Ms;
  const addedConcurrentP99 = concurrent.through.p99Ms - concurrent.direct.p99Ms;
  const share = concurrent.through.requestsPerSecond / concurrent.direct.requestsPerSecond;
  const { floor } = comparison;
  const floorAddedP99 = floor ? floor.through.p99Ms - floor.direct.p99Ms : Number.NaN;
  const floorShare = floor ? floor.through.requestsPerSecond / floor.direct.requestsPerSecond : Number.NaN;
  const serverCpu = sequential.through.cpuMsPerRequest.server ?? Number.NaN;
  // Unbuffered: events arrive as far apart as they were sent, and nearly all within half a spacing
  // of when the stub wrote them. A hop that held the body back would deliver them in bursts, the
  // first ones hundreds of ms late; one event delayed by a busy machine is not that.
  const { through } = stream;
  const unbuffered = through.gapP50Ms >= STREAM_SPACING_MS * 0.8 && through.lagP95Ms < STREAM_SPACING_MS / 2 && through.events === through.expectedEvents;
  return [
    {
      metric: `${label} POST /v1/messages, 1 conn: p50`,
      value: compare(sequential.direct.p50Ms, sequential.through.p50Ms),
      aim: `≤ +${aimAddedP50Ms} ms`,
      met: atMost(addedP50, aimAddedP50Ms),
    },
    { metric: `${label} POST /v1/messages, 1 conn: p99`, value: compare(sequential.direct.p99Ms, sequential.through.p99Ms), aim: "", met: null },
    {
      metric: `${label} POST /v1/messages, ${COMPARE_CONCURRENCY} conns: p50`,
      value: compare(concurrent.direct.p50Ms, concurrent.through.p50Ms),
      aim: "",
      met: null,
    },
    {
      metric: `${label} POST /v1/messages, ${COMPARE_CONCURRENCY} conns: p99`,
      value: compare(concurrent.direct.p99Ms, concurrent.through.p99Ms),
      aim: concurrentAims ? `≤ +${concurrentAims.addedP99Ms} ms` : "",
      met: concurrentAims ? atMost(addedConcurrentP99, concurrentAims.addedP99Ms) : null,
      ...(floor && concurrentAims
        ? { floor: { value: `${signed(floorAddedP99)} through a bare proxy`, met: atMost(floorAddedP99, concurrentAims.addedP99Ms) } }
        : {}),
    },
    {
      metric: `${label}, ${COMPARE_CONCURRENCY} conns: throughput`,
      value: `${fmt(concurrent.direct.requestsPerSecond, 0)} → ${fmt(concurrent.through.requestsPerSecond, 0)} req/s (${fmt(share * 100, 0)} %)`,
      aim: concurrentAims ? `≥ ${fmt(concurrentAims.share * 100, 0)} % of direct` : "",
      met: concurrentAims ? atLeast(share, concurrentAims.share) : null,
      ...(floor && concurrentAims
        ? { floor: { value: `${fmt(floorShare * 100, 0)} % through a bare proxy`, met: atLeast(floorShare, concurrentAims.share) } }
        : {}),
    },
    { metric: `${label}: server CPU per request (1 conn)`, value: ms(serverCpu), aim: "", met: null },
    {
      metric: `${label} stream TTFB p50, back to back (${ttfb.through.samples} streams)`,
      value: `${compare(ttfb.direct.p50Ms, ttfb.through.p50Ms)} (p99 ${ms(ttfb.through.p99Ms)})`,
      aim: `≈ the p50 added (+${fmt(addedP50, 2)} ms)`,
      met: null,
    },
    {
      // Each of these follows a stream whose events came 50 ms apart, so the processes involved
      // have gone idle; on a small virtual machine one takes milliseconds to wake. A direct call
      // wakes the bench's own process; through the path the console's (and PostgreSQL's) too.
      metric: `${label} stream TTFB p50 after idle gaps (${stream.through.samples} streams)`,
      value: `${compare(stream.direct.ttfbP50Ms, stream.through.ttfbP50Ms)} (p99 ${ms(stream.through.ttfbP99Ms)})`,
      aim: "",
      met: null,
    },
    {
      metric: `${label} stream: event gap p50 (sent ${STREAM_SPACING_MS} ms apart)`,
      value: `${ms(stream.direct.gapP50Ms)} → ${ms(stream.through.gapP50Ms)}`,
      aim: `≈ ${STREAM_SPACING_MS} ms`,
      met: null,
    },
    {
      metric: `${label} stream: event lag after send, p50 / p95 / max`,
      value: [stream.direct, through]
        .map((summary) => `${fmt(summary.lagP50Ms, 1)} / ${fmt(summary.lagP95Ms, 1)} / ${fmt(summary.lagMaxMs, 1)} ms`)
        .join(" → "),
      aim: `no buffering (gap ≈ ${STREAM_SPACING_MS}, p95 < ${STREAM_SPACING_MS / 2} ms)`,
      met: unbuffered,
    },
  ];
}

/** Issue 11's rows: the intercepted LLM origin as a comparison, then new connections and the tunnel. */
export function egressRows(egress: EgressResult, aimAddedP50Ms: number): Row[] {
  const { handshake, tunnelled } = egress;
  return [
    ...comparisonRows("egress", egress.intercepted, aimAddedP50Ms),
    {
      metric: `new connection p50, intercepted (${handshake.intercepted.samples}): CONNECT + TLS`,
      value: `${compare(handshake.direct.p50Ms, handshake.intercepted.p50Ms)} (p95 ${ms(handshake.intercepted.p95Ms)})`,
      aim: "against a direct TLS connect",
      met: null,
    },
    {
      metric: `new connection p50, tunnelled (${handshake.tunnelled.samples}): CONNECT + TLS`,
      value: `${compare(handshake.direct.p50Ms, handshake.tunnelled.p50Ms)} (p95 ${ms(handshake.tunnelled.p95Ms)})`,
      aim: "",
      met: null,
    },
    { metric: "egress tunnelled POST, 1 conn: p50", value: compare(tunnelled.direct.p50Ms, tunnelled.through.p50Ms), aim: "", met: null },
    { metric: "egress tunnelled POST, 1 conn: p99", value: compare(tunnelled.direct.p99Ms, tunnelled.through.p99Ms), aim: "", met: null },
  ];
}

export function printTable(title: string, rows: Row[]): void {
  const header: Row = { metric: "metric", value: "measured", aim: "aim", met: null };
  const widths = {
    metric: Math.max(...[header, ...rows].map((row) => row.metric.length)),
    value: Math.max(...[header, ...rows].map((row) => row.value.length)),
    aim: Math.max(...[header, ...rows].map((row) => row.aim.length)),
  };
  const line = (row: Row, mark: string) =>
    `  ${row.metric.padEnd(widths.metric)}  ${row.value.padStart(widths.value)}  ${row.aim.padEnd(widths.aim)}  ${mark.padEnd(1)}${floorNote(row)}`.trimEnd();
  console.log(`\n${title}`);
  console.log(line(header, ""));
  console.log(`  ${"─".repeat(widths.metric + widths.value + widths.aim + 9)}`);
  for (const row of rows) console.log(line(row, row.met === null ? "" : row.met ? "✓" : "✗"));
}

function floorNote(row: Row): string {
  if (!row.floor) return "";
  return `  floor ${row.floor.value}${row.floor.met ? "" : ", which misses the aim too"}`;
}

/** One kind of session turn through the console against query() direct: time to the first text, what the console adds, where it goes. */
function turnRows(kind: string, turns: TurnComparison, addedAimMs: number): Row[] {
  const { direct, console: through, added, stages } = turns;
  return [
    {
      metric: `${kind}, send → first agent.message: p50 (${turns.turns} turns)`,
      value: `${ms(direct.p50Ms)} direct → ${ms(through.p50Ms)}`,
      aim: "",
      met: null,
    },
    { metric: `${kind}, send → first agent.message: p95`, value: `${ms(direct.p95Ms)} direct → ${ms(through.p95Ms)}`, aim: "", met: null },
    { metric: `${kind}: added by the console, p50`, value: signed(added.p50Ms), aim: `≤ +${addedAimMs} ms`, met: atMost(added.p50Ms, addedAimMs) },
    { metric: `${kind}: added by the console, p95`, value: signed(added.p95Ms), aim: "", met: null },
    {
      metric: `${kind} stages, p50: send → turn started → model answering → message recorded → streamed`,
      value: [stages.toClaimed, stages.claimedToModel, stages.modelToMessage, stages.messageDelivered].map(ms).join(" + "),
      aim: "",
      met: null,
    },
    { metric: `${kind} stages: direct message → model answering, p50`, value: ms(stages.directToModel), aim: "", met: null },
  ];
}

/**
 * A session's turns through the console against query() direct — follow-ups in one conversation
 * (the CLI up on both sides) and first turns (a new session, a new CLI) — and the stream's delivery lag.
 */
export function sessionRows(sessions: SessionsResult, aims: { addedP50Ms: number; lagP95Ms: number }): Row[] {
  const { lag } = sessions;
  return [
    ...turnRows("follow-up turn", sessions, aims.addedP50Ms),
    ...turnRows("first turn", sessions.first, aims.addedP50Ms),
    { metric: `session stream delivery lag: p50 (${lag.events} events)`, value: ms(lag.p50Ms), aim: "", met: null },
    {
      metric: "session stream delivery lag: p95 / max",
      value: `${ms(lag.p95Ms)} / ${ms(lag.maxMs)}`,
      aim: `p95 ≤ ${aims.lagP95Ms} ms`,
      met: atMost(lag.p95Ms, aims.lagP95Ms),
    },
  ];
}
