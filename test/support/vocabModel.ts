/**
 * Loads a tokenizer-only GGUF (`vocab-*.gguf`) in this process, with llama.cpp's log captured instead
 * of printed: such a file has no weights, so llama.cpp logs "error loading model: missing tensor
 * 'token_embd.weight'" on the way, which is expected and would only alarm a reader of `npm test`.
 * `gpuLayers: 0` skips node-llama-cpp's resource simulation (which loads the weights too and warns).
 */
import type { Llama, LlamaModel } from "node-llama-cpp";
import { requireModel } from "./models";

/** `llama` is shared: dispose only `model`. */
export interface VocabModel {
    llama: Llama;
    model: LlamaModel;
    llamaLog: string[];
}

// llama.cpp has one log callback per process: one Llama instance for every test file's loads, never
// disposed (it ends with the process), whose logger appends to the current load's array.
let current: string[] = [];
let shared: Promise<Llama> | undefined;

export async function loadVocabModel(file: string): Promise<VocabModel> {
    shared ??= import("node-llama-cpp").then(({ getLlama }) =>
        getLlama({
            gpu: false,
            logger: (level, message) => {
                current.push(`${level}: ${message}`);
            }
        })
    );
    const llama = await shared;
    const llamaLog: string[] = [];
    current = llamaLog;
    const model = await llama.loadModel({
        modelPath: requireModel(file),
        vocabOnly: true,
        gpuLayers: 0
    });
    return { llama, model, llamaLog };
}

/** The error lines in the captured log that are not llama.cpp's expected complaint about the missing weights. */
export function unexpectedErrors(llamaLog: readonly string[]): string[] {
    return llamaLog.filter(
        (line) =>
            /^(error|fatal)/.test(line) &&
            !/missing tensor 'token_embd\.weight'|failed to load model/.test(line)
    );
}
