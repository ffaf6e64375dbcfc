import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { ResponseError } from "vscode-languageserver-protocol";
import { entryFileName, findEntry } from "../../src/shared/catalog";
import {
    ModelsCancelDownloadRequest,
    ModelsDeleteRequest,
    ModelsDownloadProgressNotification,
    ModelsDownloadRequest,
    ModelsListRequest,
    ModelsRecommendRequest,
    ModelsUseRequest,
    type DownloadProgress
} from "../../src/shared/modelsProtocol";
import { EngineProcess } from "../support/engineProcess";
import { ModelServer, resolvePath } from "../support/modelServer";
import { requireModel } from "../support/models";

const SOURCE = requireModel("tiny-fim-random.gguf");
const STORIES = requireModel("stories260K.gguf");
const COMPLETION = findEntry("qwen2.5-coder-0.5b-instruct-q8_0")!;
const CHAT = findEntry("deepseek-r1-distill-qwen-1.5b-q4_k_m")!;
const THIRD = findEntry("qwen2.5-coder-1.5b-instruct-q4_k_m")!;
/** Served with 1 MiB of junk at its catalog path, checked against the real catalog's size. */
const JUNKED = findEntry("qwen2.5-coder-0.5b-instruct-q4_k_m")!;
/** The stand-in files are served at the catalog's paths: the engine checks them against their own sizes (test hook). */
const STAND_INS = {
    APPRENTICE_TEST_CATALOG_FILES: JSON.stringify({
        [COMPLETION.id]: { exactBytes: statSync(SOURCE).size },
        [CHAT.id]: { exactBytes: statSync(STORIES).size },
        [THIRD.id]: { exactBytes: statSync(SOURCE).size }
    })
};

async function errorData(
    promise: Promise<unknown>
): Promise<{ code: string; action: string; message: string }> {
    try {
        await promise;
    } catch (error) {
        assert.ok(error instanceof ResponseError, String(error));
        return { ...(error.data as { code: string; action: string }), message: error.message };
    }
    assert.fail("expected an error response");
}

describe("engine: models over JSON-RPC, served from 127.0.0.1", () => {
    let engine: EngineProcess;
    let server: ModelServer;
    let folder: string;
    const progress: DownloadProgress[] = [];
    let junk = "";

    before(async () => {
        // The catalog's real paths, served locally with stand-in files (no route to Hugging Face here).
        folder = mkdtempSync(path.join(os.tmpdir(), "apprentice-models-"));
        junk = `${folder}-junk.gguf`;
        writeFileSync(junk, randomBytes(1024 * 1024));
        server = await ModelServer.start({
            [resolvePath(COMPLETION.hf)]: SOURCE,
            [resolvePath(CHAT.hf)]: STORIES,
            [resolvePath(THIRD.hf)]: SOURCE,
            [resolvePath(JUNKED.hf)]: junk
        });
        engine = EngineProcess.spawn(STAND_INS);
        engine.connection.onNotification(ModelsDownloadProgressNotification.type, (p) => {
            progress.push(p);
        });
        await engine.initialize({
            modelPath: "",
            threads: 1,
            gpu: "off",
            modelsFolder: folder,
            modelMirror: server.base
        });
        assert.equal((await engine.waitForSettled(60_000, 0)).state, "noModel");
    });
    after(async () => {
        await engine.shutdown();
        await server.close();
        rmSync(folder, { recursive: true, force: true });
        rmSync(junk, { force: true });
    });

    it("reports the machine and a recommendation from the catalog", async () => {
        const { machine, recommendation } = await engine.connection.sendRequest(
            ModelsRecommendRequest.type
        );
        assert.equal(machine.cores, os.availableParallelism());
        assert.equal(machine.totalRamBytes, os.totalmem());
        assert.equal(machine.gpu, "cpu");
        assert.ok(findEntry(recommendation.completion!), recommendation.reason);
        const list = await engine.connection.sendRequest(ModelsListRequest.type);
        assert.equal(list.folder, folder);
        assert.deepEqual(list.installed, []);
        assert.ok(list.catalog[0]!.recommendedFor.length > 0);
    });

    it("downloads a catalog model with progress, then uses it: the engine is ready", async () => {
        const result = await engine.connection.sendRequest(ModelsDownloadRequest.type, {
            id: COMPLETION.id
        });
        assert.equal(result.path, path.join(folder, entryFileName(COMPLETION)));
        assert.ok(progress.length >= 2 && progress.every((p) => p.id === COMPLETION.id));
        assert.equal(progress.at(-1)!.receivedBytes, result.bytes);
        const list = await engine.connection.sendRequest(ModelsListRequest.type);
        assert.deepEqual(
            list.installed.map((m) => [m.fileName, m.catalogId, m.sha256]),
            [[entryFileName(COMPLETION), COMPLETION.id, result.sha256]]
        );
        assert.ok(list.catalog.find((item) => item.entry.id === COMPLETION.id)!.installed);

        const since = engine.statuses.length;
        const used = await engine.connection.sendRequest(ModelsUseRequest.type, {
            id: COMPLETION.id
        });
        assert.equal(used.modelPath, result.path);
        const ready = await engine.waitForSettled(60_000, since);
        assert.equal(ready.state, "ready", JSON.stringify(ready));
        if (ready.state === "ready") {
            assert.equal(ready.model.path, result.path);
            assert.equal(ready.model.fim, true);
            assert.match(ready.model.note ?? "", /CPU/);
        }
    });

    it("refuses to delete the model in use, and names an unknown model", async () => {
        const inUse = await errorData(
            engine.connection.sendRequest(ModelsDeleteRequest.type, {
                fileName: entryFileName(COMPLETION)
            })
        );
        assert.equal(inUse.code, "inUse");
        const unknown = await errorData(
            engine.connection.sendRequest(ModelsDownloadRequest.type, { id: "no-such-model" })
        );
        assert.equal(unknown.code, "unknownModel");
        const escape = await errorData(
            engine.connection.sendRequest(ModelsDeleteRequest.type, { fileName: "../x.gguf" })
        );
        assert.equal(escape.code, "badRequest");
    });

    it("cancels a download on request and leaves no file", async () => {
        server.behaviour = { throttleBytesPer10ms: 16 * 1024 };
        const seen = progress.length;
        const download = engine.connection.sendRequest(ModelsDownloadRequest.type, { id: CHAT.id });
        while (!progress.slice(seen).some((p) => p.id === CHAT.id && p.receivedBytes > 0))
            await new Promise((r) => setTimeout(r, 20));
        const cancel = await engine.connection.sendRequest(ModelsCancelDownloadRequest.type, {
            id: CHAT.id
        });
        assert.equal(
            cancel.cancelled,
            true,
            JSON.stringify(await download.catch((e: Error) => e.message))
        );
        assert.equal((await errorData(download)).code, "cancelled");
        assert.ok(
            !readdirSync(folder).some((name) => name.startsWith(entryFileName(CHAT))),
            readdirSync(folder).join(", ")
        );
        server.behaviour = {};
    });

    it("downloads a second model, switches to it and deletes the first", async () => {
        await engine.connection.sendRequest(ModelsDownloadRequest.type, { id: CHAT.id });
        const since = engine.statuses.length;
        await engine.connection.sendRequest(ModelsUseRequest.type, { id: CHAT.id });
        assert.equal((await engine.waitForSettled(60_000, since)).state, "ready");
        const deleted = await engine.connection.sendRequest(ModelsDeleteRequest.type, {
            fileName: entryFileName(COMPLETION)
        });
        assert.ok(deleted.deleted && deleted.freedBytes > 0);
        assert.ok(!existsSync(path.join(folder, entryFileName(COMPLETION))));
        const list = await engine.connection.sendRequest(ModelsListRequest.type);
        assert.deepEqual(
            list.installed.map((m) => m.catalogId),
            [CHAT.id]
        );
    });

    it("resumes an interrupted download in a new engine process", async () => {
        server.behaviour = { cutAfterBytes: 3_000_000 };
        const cut = await errorData(
            engine.connection.sendRequest(ModelsDownloadRequest.type, { id: THIRD.id })
        );
        assert.equal(cut.code, "interrupted", cut.message);
        const second = EngineProcess.spawn(STAND_INS);
        try {
            await second.initialize({
                modelPath: "",
                threads: 1,
                gpu: "off",
                modelsFolder: folder,
                modelMirror: server.base
            });
            const list = await second.connection.sendRequest(ModelsListRequest.type);
            assert.deepEqual(
                list.partial.map((p) => p.fileName),
                [`${entryFileName(THIRD)}.part`]
            );
            assert.ok(
                !list.installed.some((m) => m.catalogId === THIRD.id),
                "a partial download is not an installed model"
            );
            const result = await second.connection.sendRequest(ModelsDownloadRequest.type, {
                id: THIRD.id
            });
            assert.equal(result.resumedFrom, list.partial[0]!.bytes);
            assert.ok(result.resumedFrom >= 3_000_000 - 256 * 1024);
            assert.equal(server.requests.at(-1)!.range, `bytes=${result.resumedFrom}-`);
        } finally {
            await second.shutdown();
        }
    });

    it("refuses 1 MiB of junk served for a catalog model (size far from the catalog's), and does not list it", async () => {
        server.behaviour = { noContentLength: true };
        const refused = await errorData(
            engine.connection.sendRequest(ModelsDownloadRequest.type, { id: JUNKED.id })
        );
        server.behaviour = {};
        assert.equal(refused.code, "sizeMismatch", refused.message);
        console.log(`  junk for ${JUNKED.id}: ${refused.code}: ${refused.message}`);
        const list = await engine.connection.sendRequest(ModelsListRequest.type);
        assert.ok(
            !list.installed.some((m) => m.fileName === entryFileName(JUNKED)),
            "not listed as installed"
        );
        assert.ok(
            !readdirSync(folder).some((f) => f.startsWith(entryFileName(JUNKED))),
            "no file or part left"
        );
    });

    it("refuses a plain-http mirror on another machine before any request", async () => {
        await engine.changeSettings({ modelMirror: "http://mirror.example:8080" });
        const refused = await errorData(
            engine.connection.sendRequest(ModelsDownloadRequest.type, { id: THIRD.id })
        );
        assert.equal(refused.code, "insecureUrl", refused.message);
        assert.match(refused.action, /https:\/\//);
        await engine.changeSettings({ modelMirror: server.base });
    });

    it("names an unreachable mirror as offline", async () => {
        const dead = await ModelServer.start({});
        const base = dead.base;
        await dead.close();
        await engine.changeSettings({ modelMirror: base });
        const offline = await errorData(
            engine.connection.sendRequest(ModelsDownloadRequest.type, { id: COMPLETION.id })
        );
        assert.equal(offline.code, "offline");
        assert.match(offline.action, /apprentice\.modelMirror/);
    });
});
