/** Fill-in-the-middle prompts for servers that only offer a plain completion endpoint (`/v1/completions`). */
import type { FimTemplate } from "../../shared/backend";
import type { ExtraContext } from "../remote/backend";

interface Template {
    build(prefix: string, suffix: string, extra: readonly ExtraContext[]): string;
    /** Tokens that end a fill; servers print them as text when they do not stop on them. */
    stop: string[];
}

const plainExtra = (extra: readonly ExtraContext[]) =>
    extra.map((chunk) => `${chunk.text}${chunk.text.endsWith("\n") ? "" : "\n"}`).join("");

const TEMPLATES: Record<FimTemplate, Template> = {
    qwen: {
        build: (prefix, suffix, extra) =>
            extra.map((chunk) => `<|file_sep|>${chunk.filename}\n${chunk.text}\n`).join("") +
            `<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`,
        stop: ["<|endoftext|>", "<|file_sep|>", "<|fim_prefix|>", "<|fim_pad|>", "<|im_end|>"]
    },
    deepseek: {
        build: (prefix, suffix, extra) =>
            `<｜fim▁begin｜>${plainExtra(extra)}${prefix}<｜fim▁hole｜>${suffix}<｜fim▁end｜>`,
        stop: ["<｜end▁of▁sentence｜>", "<｜fim▁begin｜>", "<|EOT|>"]
    },
    codellama: {
        build: (prefix, suffix, extra) =>
            `<PRE> ${plainExtra(extra)}${prefix} <SUF>${suffix} <MID>`,
        stop: ["<EOT>", "</s>"]
    },
    starcoder: {
        build: (prefix, suffix, extra) =>
            `<fim_prefix>${plainExtra(extra)}${prefix}<fim_suffix>${suffix}<fim_middle>`,
        stop: ["<|endoftext|>", "<file_sep>", "<fim_prefix>"]
    }
};

export function fimPrompt(
    template: FimTemplate,
    prefix: string,
    suffix: string,
    extra: readonly ExtraContext[] = []
): string {
    return TEMPLATES[template].build(prefix, suffix, extra);
}

export function fimStops(template: FimTemplate): string[] {
    return [...TEMPLATES[template].stop];
}
