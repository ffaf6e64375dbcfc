/** `apprentice/cuda/*`: the CUDA build of llama.cpp, downloaded when the user asks for it. */
import { NotificationType, RequestType0 } from "vscode-languageserver-protocol";

export type CudaErrorCode =
    | "unsupported"
    | "noFolder"
    | "busy"
    | "offline"
    | "http"
    | "diskFull"
    | "interrupted"
    | "checksumMismatch"
    | "cancelled"
    | "ioError"
    | "badPackage";

export interface CudaProgress {
    /** The npm package being downloaded, e.g. `@node-llama-cpp/linux-x64-cuda`. */
    package: string;
    /** 1-based position of this package among `count`. */
    index: number;
    count: number;
    receivedBytes: number;
    totalBytes: number;
    bytesPerSecond: number;
}

export interface CudaInstallResult {
    /** Where the packages were put (`<binaries folder>/<package folder>`). */
    folder: string;
    packages: string[];
    downloadedBytes: number;
}

/** Client → engine: download and install the CUDA packages for this platform. Errors carry `data.code`. */
export namespace CudaInstallRequest {
    export const method = "apprentice/cuda/install" as const;
    export const type = new RequestType0<
        CudaInstallResult,
        { code: CudaErrorCode; action: string }
    >(method);
}

/** Engine → client: download progress of the CUDA install. */
export namespace CudaProgressNotification {
    export const method = "apprentice/cuda/progress" as const;
    export const type = new NotificationType<CudaProgress>(method);
}

/** Client → engine: stop a running CUDA install; nothing is left behind. */
export namespace CudaCancelRequest {
    export const method = "apprentice/cuda/cancel" as const;
    export const type = new RequestType0<{ cancelled: boolean }, void>(method);
}
