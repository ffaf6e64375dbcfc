/** The chat webview's entry point (browser). The chat panel builds on this. */
export {};
