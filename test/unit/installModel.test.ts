import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { CATALOG } from "../../src/shared/catalog";
import type { CatalogItem } from "../../src/shared/modelsProtocol";
import {
    downloadAndUse,
    type FailureChoice,
    type InstallSteps
} from "../../src/extension/models/installModel";

const embeddingEntry = CATALOG.find((e) => e.roles.length === 1 && e.roles[0] === "embedding")!;
const chatEntry = CATALOG.find((e) => e.roles.includes("chat"))!;
const itemOf = (entry: typeof embeddingEntry) => ({ entry }) as unknown as CatalogItem;

/** Steps that fail the first download, then answer the failure with `choices` in turn. */
function recordingSteps(choices: FailureChoice[]) {
    const calls = {
        downloads: 0,
        chat: [] as string[],
        embedding: [] as string[],
        failures: [] as string[],
        logs: 0
    };
    const steps: InstallSteps = {
        download: async (item) => {
            calls.downloads++;
            if (calls.downloads === 1) throw new Error(`Could not download ${item.entry.name}.`);
            return `/models/${item.entry.id}.gguf`;
        },
        showFailure: async (message) => {
            calls.failures.push(message);
            return choices.shift();
        },
        showLog: () => {
            calls.logs++;
        },
        useChatModel: async (file) => {
            calls.chat.push(file);
        },
        useEmbeddingModel: async (file) => {
            calls.embedding.push(file);
        }
    };
    return { steps, calls };
}

describe("Choose Model: download and use", () => {
    it("Retry after a failed embedding-model download sets the embedding model, never the chat model", async () => {
        assert.ok(embeddingEntry, "the catalog has an embedding-only model");
        const { steps, calls } = recordingSteps(["Retry"]);
        const file = await downloadAndUse(itemOf(embeddingEntry), steps);
        assert.equal(calls.downloads, 2);
        assert.deepEqual(calls.failures, [`Could not download ${embeddingEntry.name}.`]);
        assert.deepEqual(calls.embedding, [`/models/${embeddingEntry.id}.gguf`]);
        assert.deepEqual(calls.chat, []);
        assert.equal(file, `/models/${embeddingEntry.id}.gguf`);
    });

    it("Retry after a failed chat-model download sets the chat model", async () => {
        const { steps, calls } = recordingSteps(["Retry"]);
        await downloadAndUse(itemOf(chatEntry), steps);
        assert.deepEqual(calls.chat, [`/models/${chatEntry.id}.gguf`]);
        assert.deepEqual(calls.embedding, []);
    });

    it("Show Log or closing the message uses nothing; a cancelled download shows no error", async () => {
        for (const choice of ["Show Log", undefined] as FailureChoice[]) {
            const { steps, calls } = recordingSteps([choice]);
            assert.equal(await downloadAndUse(itemOf(embeddingEntry), steps), undefined);
            assert.equal(calls.downloads, 1);
            assert.equal(calls.logs, choice === "Show Log" ? 1 : 0);
            assert.deepEqual([...calls.chat, ...calls.embedding], []);
        }
        const { steps, calls } = recordingSteps([]);
        steps.download = () =>
            Promise.reject(Object.assign(new Error("Cancelled."), { data: { code: "cancelled" } }));
        assert.equal(await downloadAndUse(itemOf(chatEntry), steps), undefined);
        assert.deepEqual(calls.failures, []);
    });
});
