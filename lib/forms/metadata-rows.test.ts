import { describe, expect, it } from "vitest";
import { metadataFieldRenamer, metadataPatchFromRows, metadataRowIssues, readMetadataRows } from "@/lib/forms/metadata-rows";

function formOf(rows: [string, string][]): FormData {
  const formData = new FormData();
  for (const [key, value] of rows) {
    formData.append("metadata_key", key);
    formData.append("metadata_value", value);
  }
  return formData;
}

describe("metadata rows", () => {
  it("reads the editor's key and value pairs in order", () => {
    expect(
      readMetadataRows(
        formOf([
          ["team", "core"],
          ["", ""],
        ]),
      ),
    ).toEqual([
      { key: "team", value: "core" },
      { key: "", value: "" },
    ]);
  });

  it("names a key the schema refuses on that row's key, and a reserved key the form sets on its own field", () => {
    const rows = [{ key: "team", value: "core" }];
    const rename = metadataFieldRenamer(rows, { "sandbox0.managed_agents.llm_base_url": "base_url" });
    expect(rename("metadata.team")).toBe("metadata.rows.0.key");
    expect(rename("metadata.sandbox0.managed_agents.llm_base_url")).toBe("base_url");
    expect(rename("metadata.other")).toBe("metadata");
    expect(rename("display_name")).toBe("display_name");
  });

  it("flags duplicates and keyless values, and patches removed keys to null", () => {
    const rows = [
      { key: "team", value: "a" },
      { key: "team", value: "b" },
      { key: "", value: "orphan" },
    ];
    expect(metadataRowIssues(rows).map((issue) => issue.field)).toEqual(["metadata.rows.1.key", "metadata.rows.2.key"]);
    expect(metadataPatchFromRows({ team: "a", gone: "x" }, [{ key: "team", value: "b" }])).toEqual({ team: "b", gone: null });
  });
});
