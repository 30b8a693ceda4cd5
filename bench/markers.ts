// The lines bench/run.ts waits for in its children's output.
export const SEED_DONE_MARKER = "BENCH_SEED_DONE";
export const BARE_READY_MARKER = "Bare handler ready at";
