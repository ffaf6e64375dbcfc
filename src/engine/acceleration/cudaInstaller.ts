/**
 * Installs node-llama-cpp's CUDA build on request: for each package, its metadata from the npm
 * registry (`<registry>/@node-llama-cpp/<name>/<version>`), the tarball through the resumable
 * model downloader, a check against the registry's published sha512 integrity, and an extraction
 * that is moved into `<folder>/<name>` only when complete. Nothing else is ever fetched.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import * as tar from "tar";
import type {
    CudaErrorCode,
    CudaInstallResult,
    CudaProgress
} from "../../shared/accelerationProtocol";
import { DownloadError, offlineError } from "../models/downloadErrors";
import { downloadFile } from "../models/downloader";
import { BINARY_SCOPE } from "./cudaPackages";

export const DEFAULT_REGISTRY = "https://registry.npmjs.org";

export class CudaInstallError extends Error {
    constructor(
        readonly code: CudaErrorCode,
        message: string,
        readonly action: string,
        options?: ErrorOptions
    ) {
        super(message, options);
        this.name = "CudaInstallError";
    }
}

export interface CudaInstallOptions {
    /** The binaries folder (in the extension's global storage). */
    folder: string;
    /** Package folder names, e.g. `linux-x64-cuda`. */
    packages: string[];
    /** node-llama-cpp's version: the binaries must be the same. */
    version: string;
    registry?: string;
    signal?: AbortSignal;
    onProgress?: (progress: CudaProgress) => void;
    freeBytes?: (folder: string) => Promise<number>;
}

interface PackageMeta {
    name: string;
    folder: string;
    tarball: string;
    integrity: string;
}

async function fetchMeta(
    registry: string,
    folder: string,
    version: string,
    signal?: AbortSignal
): Promise<PackageMeta> {
    const name = `${BINARY_SCOPE}/${folder}`;
    const url = `${registry.replace(/\/+$/, "")}/${name}/${version}`;
    let response: Response;
    try {
        response = await fetch(url, { signal, headers: { accept: "application/json" } });
    } catch (error) {
        if (signal?.aborted) throw cancelled();
        throw translate(offlineError(url, error));
    }
    if (!response.ok) {
        await response.body?.cancel();
        throw new CudaInstallError(
            "http",
            `The npm registry answered HTTP ${response.status} for ${name}@${version}.`,
            "Try again later."
        );
    }
    const doc = (await response.json()) as {
        name?: string;
        version?: string;
        dist?: { tarball?: string; integrity?: string };
    };
    const tarball = doc.dist?.tarball;
    const integrity = doc.dist?.integrity;
    if (
        doc.name !== name ||
        doc.version !== version ||
        !tarball ||
        !/^sha512-/.test(integrity ?? "")
    ) {
        throw new CudaInstallError(
            "badPackage",
            `The registry's record of ${name}@${version} has no tarball or no sha512 integrity.`,
            "Try again later."
        );
    }
    return { name, folder, tarball, integrity: integrity! };
}

async function sri(file: string): Promise<string> {
    const hash = createHash("sha512");
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    return `sha512-${hash.digest("base64")}`;
}

function cancelled(): CudaInstallError {
    return new CudaInstallError(
        "cancelled",
        "The CUDA download was cancelled; nothing was changed.",
        "Start it again when you like."
    );
}

/** Model-download errors, reworded for the CUDA build (their actions talk about models). */
function translate(error: unknown): unknown {
    if (!(error instanceof DownloadError)) return error;
    const keep = "Nothing was changed: Apprentice keeps using the backend it has.";
    switch (error.code) {
        case "offline":
            return new CudaInstallError(
                "offline",
                `${error.message.replace(/\.$/, "")}. The CUDA build comes from the npm registry. ${keep}`,
                "Connect to the network and try again; the download resumes where it stopped.",
                { cause: error }
            );
        case "cancelled":
            return cancelled();
        case "diskFull":
            return new CudaInstallError(
                "diskFull",
                error.message.replace("the model needs", "the CUDA build needs"),
                "Free some disk space and try again.",
                { cause: error }
            );
        case "interrupted":
            return new CudaInstallError(
                "interrupted",
                error.message,
                "Try again: the download resumes where it stopped.",
                { cause: error }
            );
        case "notFound":
        case "httpError":
            return new CudaInstallError(
                "http",
                error.message.replace("The model file", "The CUDA package"),
                "Try again later.",
                { cause: error }
            );
        default:
            return new CudaInstallError("ioError", error.message, error.action, { cause: error });
    }
}

export async function installCuda(options: CudaInstallOptions): Promise<CudaInstallResult> {
    const { folder, signal } = options;
    const registry = options.registry ?? DEFAULT_REGISTRY;
    const downloads = path.join(folder, ".downloads");
    await fs.mkdir(downloads, { recursive: true });
    const metas: PackageMeta[] = [];
    for (const name of options.packages)
        metas.push(await fetchMeta(registry, name, options.version, signal));
    let downloadedBytes = 0;
    try {
        // All tarballs first, then all extractions: a cancel or a failure never leaves half a CUDA build.
        const tarballs: string[] = [];
        for (const [index, meta] of metas.entries()) {
            const tgz = path.join(downloads, `${meta.folder}-${options.version}.tgz`);
            tarballs.push(tgz);
            if (
                (await fs.stat(tgz).then(
                    () => true,
                    () => false
                )) &&
                (await sri(tgz)) === meta.integrity
            )
                continue;
            await fs.rm(tgz, { force: true });
            try {
                const outcome = await downloadFile({
                    url: meta.tarball,
                    dest: tgz,
                    gguf: false,
                    signal,
                    freeBytes: options.freeBytes,
                    onProgress: (p) =>
                        options.onProgress?.({
                            package: meta.name,
                            index: index + 1,
                            count: metas.length,
                            ...p
                        })
                });
                downloadedBytes += outcome.bytes - outcome.resumedFrom;
            } catch (error) {
                throw translate(error);
            }
            const actual = await sri(tgz);
            if (actual !== meta.integrity) {
                await fs.rm(tgz, { force: true });
                throw new CudaInstallError(
                    "checksumMismatch",
                    `${meta.name}@${options.version} does not match the registry's published integrity (expected ${meta.integrity}, got ${actual}); it was deleted and is not used.`,
                    "Try again; if it happens again, something between you and the registry changes the file."
                );
            }
        }
        if (signal?.aborted) throw cancelled();
        for (const [index, meta] of metas.entries()) await extract(tarballs[index]!, folder, meta);
    } catch (error) {
        // A cancel leaves nothing; an interrupted download keeps its part file to resume from.
        if (error instanceof CudaInstallError && error.code === "cancelled")
            await cleanPartial(folder);
        throw error;
    }
    await fs.rm(downloads, { recursive: true, force: true });
    return { folder, packages: metas.map((m) => m.name), downloadedBytes };
}

/** Unpacks into a hidden folder, checks the package's name, then replaces `<folder>/<name>` with it. */
async function extract(tgz: string, folder: string, meta: PackageMeta): Promise<void> {
    const staging = path.join(folder, `.${meta.folder}.partial`);
    const dest = path.join(folder, meta.folder);
    await fs.rm(staging, { recursive: true, force: true });
    await fs.mkdir(staging, { recursive: true });
    try {
        await tar.x({ file: tgz, cwd: staging, strip: 1 });
        const pkg = JSON.parse(await fs.readFile(path.join(staging, "package.json"), "utf8")) as {
            name?: string;
        };
        if (pkg.name !== meta.name)
            throw new CudaInstallError(
                "badPackage",
                `The tarball of ${meta.name} holds ${pkg.name ?? "no package"}; it is not used.`,
                "Try again later."
            );
        await fs.rm(dest, { recursive: true, force: true });
        await fs.rename(staging, dest);
    } catch (error) {
        await fs.rm(staging, { recursive: true, force: true });
        if (error instanceof CudaInstallError) throw error;
        throw new CudaInstallError(
            "ioError",
            `Could not unpack ${meta.name}: ${error instanceof Error ? error.message : String(error)}.`,
            "Check the free disk space and try again.",
            { cause: error }
        );
    }
}

/** Removes what a cancelled install left (the part files and half-unpacked folders). */
export async function cleanPartial(folder: string): Promise<void> {
    await fs.rm(path.join(folder, ".downloads"), { recursive: true, force: true });
    for (const item of await fs.readdir(folder).catch(() => [] as string[])) {
        if (item.startsWith(".") && item.endsWith(".partial"))
            await fs.rm(path.join(folder, item), { recursive: true, force: true });
    }
}
