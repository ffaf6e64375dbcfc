import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { describeIndex } from "../../src/extension/workspace/indexStatus";
import { INDEX_OFF, type WorkspaceIndexProgress } from "../../src/shared/workspaceIndexProtocol";

const ready = (extra: Partial<WorkspaceIndexProgress> = {}): WorkspaceIndexProgress => ({
    ...INDEX_OFF,
    state: "ready",
    files: 725,
    chunks: 7201,
    filesDone: 728,
    filesTotal: 728,
    ...extra
});

describe("the workspace index in words (status menu)", () => {
    it("says how far a build is", () => {
        assert.equal(describeIndex(INDEX_OFF), "Off");
        assert.equal(
            describeIndex({ ...INDEX_OFF, state: "building", filesDone: 120, filesTotal: 1728 }),
            "Indexing 120 of 1,728 files"
        );
        assert.equal(describeIndex({ ...INDEX_OFF, state: "building" }), "Listing files…");
        assert.equal(
            describeIndex({ ...INDEX_OFF, state: "error", message: "disk full" }),
            "Error: disk full"
        );
    });

    it("shows embedding progress after the word index is ready", () => {
        assert.equal(describeIndex(ready()), "Ready · 7,201 chunks in 725 files · words only");
        assert.equal(
            describeIndex(ready({ embeddedChunks: 2160 })),
            "Ready · 7,201 chunks in 725 files · embeddings 29% (2,160 of 7,201)"
        );
        assert.equal(
            describeIndex(ready({ embeddedChunks: 7201 })),
            "Ready · 7,201 chunks in 725 files · words and embeddings"
        );
        assert.equal(
            describeIndex(ready({ files: 1, chunks: 1, embeddedChunks: 0 })),
            "Ready · 1 chunk in 1 file · embeddings 0% (0 of 1)"
        );
    });
});
