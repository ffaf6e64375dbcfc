/**
 * `apprentice/cuda/*` in the engine: downloads the CUDA build of llama.cpp into the binaries folder
 * when the user asks (progress, cancel, resume, integrity check); the engine uses it from its next
 * start (binaryOverrides.ts). The registry is `https://registry.npmjs.org` (tests set
 * `APPRENTICE_NPM_REGISTRY` to a server on 127.0.0.1).
 */
import { ApprenticeErrorCodes } from "../../shared/protocolErrors";
import { ResponseError } from "vscode-languageserver";
import {
    CudaCancelRequest,
    CudaInstallRequest,
    CudaProgressNotification,
    type CudaInstallResult
} from "../../shared/accelerationProtocol";
import type { EngineFeature, FeatureContext } from "../feature";
import { nodeLlamaCppVersion } from "../modelHost/runtime";
import { KEEP_PARTIAL } from "../models/downloader";
import { CudaInstallError, DEFAULT_REGISTRY, installCuda } from "./cudaInstaller";
import { cudaPackagesFor } from "./cudaPackages";

export const REGISTRY_ENV = "APPRENTICE_NPM_REGISTRY";
/** JSON-RPC error code of every CUDA install failure (src/shared/protocolErrors.ts); `data.code` names it. */
export const CUDA_ERROR = ApprenticeErrorCodes.cuda;

function failure(
    code: string,
    message: string,
    action: string
): ResponseError<{ code: string; action: string }> {
    return new ResponseError(CUDA_ERROR, message, { code, action });
}

export function createCudaFeature({
    connection,
    log,
    binariesFolder
}: FeatureContext): EngineFeature {
    let running: AbortController | undefined;

    connection.onRequest(CudaInstallRequest.type, async (token): Promise<CudaInstallResult> => {
        const packages = cudaPackagesFor(process.platform, process.arch);
        if (packages.length === 0)
            throw failure(
                "unsupported",
                `There is no CUDA build of llama.cpp for ${process.platform}-${process.arch}.`,
                "Vulkan or the CPU is used instead."
            );
        if (!binariesFolder)
            throw failure(
                "noFolder",
                "The engine was started without a folder for downloaded binaries.",
                "Restart the engine from VS Code."
            );
        if (running)
            throw failure(
                "busy",
                "The CUDA build is already downloading.",
                "Wait for it, or cancel it first."
            );
        const abort = new AbortController();
        running = abort;
        const cancel = token.onCancellationRequested(() => abort.abort());
        const registry = process.env[REGISTRY_ENV] || DEFAULT_REGISTRY;
        log.info(
            `Downloading the CUDA build (${packages.join(", ")}) from ${registry} into ${binariesFolder}.`
        );
        try {
            const result = await installCuda({
                folder: binariesFolder,
                packages,
                version: nodeLlamaCppVersion(),
                registry,
                signal: abort.signal,
                onProgress: (progress) =>
                    void connection.sendNotification(CudaProgressNotification.type, progress)
            });
            log.info(
                `CUDA build installed (${(result.downloadedBytes / 1e6).toFixed(0)} MB downloaded); it is used from the engine's next start.`
            );
            return result;
        } catch (error) {
            if (error instanceof CudaInstallError) {
                log.warn(`CUDA download: ${error.message}`);
                throw failure(error.code, error.message, error.action);
            }
            throw error;
        } finally {
            cancel.dispose();
            if (running === abort) running = undefined;
        }
    });

    connection.onRequest(CudaCancelRequest.type, () => {
        const wasRunning = running !== undefined;
        running?.abort();
        return { cancelled: wasRunning };
    });

    return {
        methods: [
            CudaInstallRequest.method,
            CudaProgressNotification.method,
            CudaCancelRequest.method
        ],
        // A shutdown keeps the part file, so the next attempt resumes.
        dispose: () => running?.abort(KEEP_PARTIAL)
    };
}
