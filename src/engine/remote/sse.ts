/** Server-sent events as llama.cpp and OpenAI stream them: `data: {...}` lines separated by blank lines. */

/** Splits a byte stream into the `data` payloads of its events. Feed chunks as they arrive. */
export class SseParser {
    private buffer = "";
    private data: string[] = [];

    /** Returns the complete events' data found so far. */
    feed(chunk: string): string[] {
        this.buffer += chunk;
        const events: string[] = [];
        let newline: number;
        while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
            const line = this.buffer.slice(0, newline);
            const width = this.buffer.startsWith("\r\n", newline) ? 2 : 1;
            this.buffer = this.buffer.slice(newline + width);
            if (line === "") {
                if (this.data.length > 0) events.push(this.data.join("\n"));
                this.data = [];
            } else if (line.startsWith("data:")) {
                this.data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
            }
            // `event:`, `id:`, `retry:` and `:` comments carry nothing these servers need.
        }
        return events;
    }

    /** Data of a last event not closed by a blank line (some servers end the stream that way). */
    end(): string[] {
        const rest = this.buffer.startsWith("data:")
            ? [this.buffer.slice(this.buffer.startsWith("data: ") ? 6 : 5)]
            : [];
        const events =
            this.data.length > 0 || rest.length > 0 ? [[...this.data, ...rest].join("\n")] : [];
        this.buffer = "";
        this.data = [];
        return events;
    }
}

/** Reads the `data` payloads of an SSE response body, stopping at `[DONE]`. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = body.getReader();
    try {
        for (;;) {
            const { done, value } = await reader.read();
            const events = done
                ? [...parser.feed(decoder.decode()), ...parser.end()]
                : parser.feed(decoder.decode(value, { stream: true }));
            for (const event of events) {
                if (event.trim() === "[DONE]") return;
                yield event;
            }
            if (done) return;
        }
    } finally {
        await reader.cancel().catch(() => undefined);
        reader.releaseLock();
    }
}
