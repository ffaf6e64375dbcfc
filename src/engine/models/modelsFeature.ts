/**
 * `apprentice/models/*` in the engine: the catalog ranked for this machine, the recommendation,
 * downloads with progress and cancellation, deleting installed models and loading one.
 */
import * as path from "node:path";
import { ResponseError, type CancellationToken } from "vscode-languageserver";
import { downloadUrl, entryFileName, findEntry, type CatalogEntry } from "../../shared/catalog";
import {
    ModelsCancelDownloadRequest,
    ModelsDeleteRequest,
    ModelsDownloadProgressNotification,
    ModelsDownloadRequest,
    ModelsListRequest,
    ModelsRecommendRequest,
    ModelsUseRequest,
    type DownloadErrorCode,
    type DownloadResult
} from "../../shared/modelsProtocol";
import type { EngineFeature, FeatureContext } from "../feature";
import { ApprenticeErrorCodes } from "../../shared/protocolErrors";
import { errorText } from "../modelHost/inspectModelFile";
import { DownloadError } from "./downloadErrors";
import { downloadFile, KEEP_PARTIAL } from "./downloader";
import { detectMachine } from "./machine";
import { ModelStore } from "./modelStore";
import { rankCatalog, recommend } from "./recommend";

/** JSON-RPC error code of every models failure (src/shared/protocolErrors.ts); `data.code` names it. */
const MODELS_ERROR = ApprenticeErrorCodes.models;

function failure(
    code: DownloadErrorCode | "inUse" | "badRequest",
    message: string,
    action = ""
): ResponseError<{ code: string; action: string }> {
    return new ResponseError(MODELS_ERROR, message, { code, action });
}

/**
 * The catalog facts a download is checked against. Test hook (inert unless set):
 * `APPRENTICE_TEST_CATALOG_FILES` = JSON `{ "<id>" or "*": { "exactBytes": n, "sha256": "…" } }` replaces them
 * for the stand-in files the engine tests serve at the catalog's paths.
 */
function downloadFacts(entry: CatalogEntry): { exactBytes: number | null; sha256: string | null } {
    const overrides = process.env.APPRENTICE_TEST_CATALOG_FILES;
    if (overrides) {
        const all = JSON.parse(overrides) as Record<
            string,
            { exactBytes: number; sha256?: string }
        >;
        const facts = all[entry.id] ?? all["*"];
        if (facts) return { exactBytes: facts.exactBytes, sha256: facts.sha256 ?? null };
    }
    return { exactBytes: entry.exactBytes, sha256: entry.sha256 };
}

export function createModelsFeature({
    connection,
    host,
    log,
    settings,
    updateSettings
}: FeatureContext): EngineFeature {
    const downloads = new Map<string, AbortController>();

    const store = (): ModelStore => {
        const folder = settings().modelsFolder;
        if (!folder)
            throw failure("noFolder", "No models folder is set.", "Set apprentice.modelsFolder.");
        return new ModelStore(folder);
    };
    const machine = async () =>
        detectMachine(
            await host.runtime.then(
                (r) => r.llama,
                () => undefined
            )
        );

    connection.onRequest(ModelsRecommendRequest.type, async () => {
        const profile = await machine();
        return { machine: profile, recommendation: recommend(profile) };
    });

    connection.onRequest(ModelsListRequest.type, async () => {
        const models = store();
        const [profile, files] = await Promise.all([machine(), models.list()]);
        const installedIds = new Set(
            files.installed.flatMap((m) => (m.catalogId ? [m.catalogId] : []))
        );
        return {
            folder: models.folder,
            machine: profile,
            recommendation: recommend(profile),
            catalog: rankCatalog(profile, installedIds),
            ...files
        };
    });

    connection.onRequest(
        ModelsDownloadRequest.type,
        async ({ id }, token: CancellationToken): Promise<DownloadResult> => {
            const entry = findEntry(id);
            if (!entry) throw failure("unknownModel", `There is no model "${id}" in the catalog.`);
            if (downloads.has(id))
                throw failure(
                    "busy",
                    `${entry.name} is already downloading.`,
                    "Wait for it, or cancel it first."
                );
            const models = store();
            const abort = new AbortController();
            downloads.set(id, abort);
            const onCancel = token.onCancellationRequested(() => abort.abort());
            const url = downloadUrl(entry, settings().modelMirror);
            log.info(`Downloading ${entry.name} from ${url} into ${models.folder}.`);
            const facts = downloadFacts(entry);
            try {
                const outcome = await downloadFile({
                    url,
                    dest: models.pathOf(entryFileName(entry)),
                    sha256: facts.sha256,
                    expectedBytes: facts.exactBytes ?? entry.sizeBytes,
                    expectedSize:
                        facts.exactBytes !== null
                            ? { bytes: facts.exactBytes, exact: true }
                            : { bytes: entry.sizeBytes, exact: false },
                    signal: abort.signal,
                    onProgress: (p) => {
                        const remaining = p.totalBytes - p.receivedBytes;
                        const etaSeconds =
                            p.bytesPerSecond > 0 && p.totalBytes > 0
                                ? Math.ceil(remaining / p.bytesPerSecond)
                                : undefined;
                        void connection.sendNotification(ModelsDownloadProgressNotification.type, {
                            id,
                            ...p,
                            etaSeconds
                        });
                    }
                });
                await models.remember(path.basename(outcome.path), {
                    id,
                    sha256: outcome.sha256,
                    url,
                    downloadedAt: new Date().toISOString()
                });
                log.info(
                    `Downloaded ${entry.name}: ${outcome.bytes} bytes in ${outcome.ms} ms, sha256 ${outcome.sha256}${facts.sha256 ? " (verified)" : " (compare it with the model card)"}.`
                );
                return outcome;
            } catch (error) {
                if (error instanceof DownloadError) {
                    log.warn(`Download of ${entry.name} failed (${error.code}): ${error.message}`);
                    throw failure(error.code, error.message, error.action);
                }
                throw failure(
                    "ioError",
                    `The download of ${entry.name} failed: ${errorText(error)}`,
                    "Try again."
                );
            } finally {
                onCancel.dispose();
                downloads.delete(id);
            }
        }
    );

    connection.onRequest(ModelsCancelDownloadRequest.type, ({ id }) => {
        const abort = downloads.get(id);
        abort?.abort();
        return { cancelled: abort !== undefined };
    });

    connection.onRequest(ModelsDeleteRequest.type, async ({ fileName }) => {
        const models = store();
        let file: string;
        try {
            file = models.pathOf(fileName);
        } catch (error) {
            throw failure("badRequest", errorText(error));
        }
        if (host.loaded?.facts.path === file || settings().modelPath === file) {
            throw failure(
                "inUse",
                `${fileName} is the model in use.`,
                "Choose another model first, then delete this one."
            );
        }
        try {
            const freedBytes = await models.delete(fileName);
            return { deleted: freedBytes > 0, freedBytes };
        } catch (error) {
            throw failure("badRequest", errorText(error));
        }
    });

    connection.onRequest(ModelsUseRequest.type, async ({ id, path: filePath }) => {
        let modelPath: string;
        if (id) {
            const entry = findEntry(id);
            if (!entry) throw failure("unknownModel", `There is no model "${id}" in the catalog.`);
            const models = store();
            const { installed } = await models.list();
            const found = installed.find((m) => m.fileName === entryFileName(entry));
            if (!found)
                throw failure(
                    "notFound",
                    `${entry.name} is not downloaded yet.`,
                    "Download it first."
                );
            modelPath = found.path;
        } else if (filePath && path.isAbsolute(filePath)) {
            modelPath = filePath;
        } else {
            throw failure("badRequest", "Give a catalog id or an absolute GGUF path.");
        }
        await updateSettings({ modelPath });
        return { modelPath };
    });

    return {
        methods: [
            ModelsListRequest.method,
            ModelsRecommendRequest.method,
            ModelsDownloadRequest.method,
            ModelsDownloadProgressNotification.method,
            ModelsCancelDownloadRequest.method,
            ModelsDeleteRequest.method,
            ModelsUseRequest.method
        ],
        dispose: () => {
            for (const abort of downloads.values()) abort.abort(KEEP_PARTIAL);
            downloads.clear();
        }
    };
}
