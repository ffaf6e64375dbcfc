import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import {
    describeIndex,
    describeNotice,
    noticeDone
} from "../../src/extension/workspace/indexStatus";
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

describe("the first-build notification (files, then embeddings)", () => {
    const building = (extra: Partial<WorkspaceIndexProgress> = {}): WorkspaceIndexProgress => ({
        ...INDEX_OFF,
        state: "building",
        firstBuild: true,
        filesDone: 1234,
        filesTotal: 7201,
        ...extra
    });

    it("counts files, and embeddings beside them when an embedding model is set", () => {
        assert.deepEqual(describeNotice(building({ filesDone: 0, filesTotal: 0 })), {
            message: "listing files…",
            fraction: 0
        });
        const words = describeNotice(building());
        assert.equal(words.message, "1,234 of 7,201 files");
        assert.ok(Math.abs(words.fraction - 1234 / 7201) < 1e-9);
        const both = describeNotice(building({ chunks: 1000, embeddedChunks: 300 }));
        assert.equal(both.message, "1,234 of 7,201 files · embeddings 30%");
        assert.ok(Math.abs(both.fraction - (1234 / 7201 + 0.3) / 2) < 1e-9);
        assert.deepEqual(describeNotice(ready({ embeddedChunks: 2160 })), {
            message: "7,201 chunks in 725 files · embeddings 29%",
            fraction: (1 + 2160 / 7201) / 2
        });
    });

    it("stays open after the words are indexed until every chunk has its embedding", () => {
        assert.equal(noticeDone(building()), false);
        assert.equal(noticeDone(ready()), true);
        assert.equal(noticeDone(ready({ embeddedChunks: 2160 })), false);
        assert.equal(noticeDone(ready({ embeddedChunks: 7201 })), true);
        assert.equal(noticeDone({ ...INDEX_OFF, state: "error", message: "disk full" }), true);
        assert.equal(noticeDone(INDEX_OFF), true);
    });
});
