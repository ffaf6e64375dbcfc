/**
 * Checks a model file before node-llama-cpp loads it, so that a wrong, truncated or corrupt
 * file gets a clear error instead of reaching native code.
 */
import { constants as fsConstants } from "node:fs";
import { access, open, stat, type FileHandle } from "node:fs/promises";
import * as path from "node:path";
import { GgufInsights, readGgufFileInfo, type GgufFileInfo, type Llama } from "node-llama-cpp";
import { ModelFileError, PICK_ANOTHER } from "./errors";
import { checkGgufHeader, GGUF_HEADER_BYTES } from "./ggufHeader";
import { checkGgufStructure } from "./ggufStructure";

export interface InspectedModel {
    path: string;
    name: string;
    sizeBytes: number;
    info: GgufFileInfo;
    insights: GgufInsights;
    architecture: string;
}

export async function inspectModelFile(modelPath: string, llama: Llama): Promise<InspectedModel> {
    const name = path.basename(modelPath);
    if (!path.isAbsolute(modelPath)) {
        throw new ModelFileError(
            "fileNotFound",
            `The model path "${modelPath}" is not absolute.`,
            "Set apprentice.modelPath to the full path of a .gguf file."
        );
    }
    let size: number;
    try {
        const st = await stat(modelPath);
        if (!st.isFile()) {
            throw new ModelFileError(
                "notAFile",
                `${name} is a folder, not a model file.`,
                PICK_ANOTHER
            );
        }
        size = st.size;
        await access(modelPath, fsConstants.R_OK);
    } catch (error) {
        if (error instanceof ModelFileError) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENOTDIR") {
            throw new ModelFileError(
                "fileNotFound",
                `Model file not found: ${modelPath}.`,
                PICK_ANOTHER,
                { cause: error }
            );
        }
        throw new ModelFileError(
            "unreadable",
            `Cannot read the model file ${name} (${code ?? String(error)}).`,
            "Check the file's permissions, or choose another file.",
            { cause: error }
        );
    }

    const head = await readHead(modelPath);
    const header = checkGgufHeader(head);
    if (!header.ok) {
        const code = header.reason === "absurdCounts" ? "corrupt" : "notGguf";
        const what = code === "corrupt" ? "is a damaged GGUF file" : "is not a GGUF model file";
        throw new ModelFileError(code, `${name} ${what}: ${header.detail}.`, PICK_ANOTHER);
    }

    const structure = await withFile(modelPath, (handle) =>
        checkGgufStructure(handle, size, header.tensorCount, header.kvCount)
    );
    if (!structure.ok) {
        if (structure.reason === "truncated") {
            throw new ModelFileError(
                "truncated",
                `${name} is incomplete: ${structure.detail}.`,
                "The download was probably interrupted: download the model again."
            );
        }
        throw new ModelFileError(
            "corrupt",
            `${name} is a damaged GGUF file: ${structure.detail}.`,
            `Download it again, or ${lowerFirst(PICK_ANOTHER)}`
        );
    }

    let info: GgufFileInfo;
    try {
        info = await readGgufFileInfo(modelPath, {
            sourceType: "filesystem",
            logWarnings: false,
            spliceSplitFiles: false
        });
    } catch (error) {
        throw new ModelFileError(
            "corrupt",
            `${name} is a damaged GGUF file: its metadata cannot be read (${errorText(error)}).`,
            `Download it again, or ${lowerFirst(PICK_ANOTHER)}`,
            { cause: error }
        );
    }

    const insights = await GgufInsights.from(info, llama);
    const architecture = String(info.metadata?.general?.architecture ?? "unknown");
    const expected = (info.infoEndOffset ?? 0) + insights.modelSize;
    if (insights.modelSize > 0 && size < expected) {
        throw new ModelFileError(
            "truncated",
            `${name} is incomplete: ${size} of ${expected} bytes (${Math.floor((size / expected) * 100)}%).`,
            "The download was probably interrupted: download the model again."
        );
    }
    if (!insights.isSupportedByLlamaCpp) {
        throw new ModelFileError(
            "unsupportedArchitecture",
            `${name} uses the architecture "${architecture}", which this version of llama.cpp cannot run.`,
            `Choose a model of a supported architecture (for example Qwen2.5-Coder or DeepSeek-R1-Distill-Qwen).`
        );
    }
    if (insights.modelSize === 0) {
        throw new ModelFileError(
            "corrupt",
            `${name} holds only a tokenizer, no model weights.`,
            PICK_ANOTHER
        );
    }
    return { path: modelPath, name, sizeBytes: size, info, insights, architecture };
}

async function withFile<T>(file: string, use: (handle: FileHandle) => Promise<T>): Promise<T> {
    const handle = await open(file, "r");
    try {
        return await use(handle);
    } finally {
        await handle.close();
    }
}

function readHead(file: string): Promise<Uint8Array> {
    return withFile(file, async (handle) => {
        const buffer = Buffer.alloc(GGUF_HEADER_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, GGUF_HEADER_BYTES, 0);
        return buffer.subarray(0, bytesRead);
    });
}

export function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

function lowerFirst(text: string): string {
    return text.charAt(0).toLowerCase() + text.slice(1);
}
