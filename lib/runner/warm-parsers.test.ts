import { describe, expect, it } from "vitest";

import { runnerStartSchema } from "./protocol";
import { SAMPLE_START, warmParsers } from "./warm-parsers";

describe("warmParsers", () => {
  it("parses samples that fit their schemas, so every nested parser is built", () => {
    expect(runnerStartSchema.parse(SAMPLE_START)).toEqual(SAMPLE_START);
    expect(warmParsers()).toBe(true);
  });
});
