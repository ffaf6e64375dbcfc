/** Command ids, once. They match `contributes.commands` in package.json. */
export const Commands = {
    restartEngine: "apprentice.restartEngine",
    selectModelFile: "apprentice.selectModelFile",
    showLog: "apprentice.showLog",
    openSettings: "apprentice.openSettings",
    showMenu: "apprentice.showMenu",
    toggleCompletion: "apprentice.toggleCompletion",
    showCompletionStats: "apprentice.showCompletionStats",
    chatAskAboutSelection: "apprentice.chat.askAboutSelection",
    chatExplain: "apprentice.chat.explain",
    chatFindBugs: "apprentice.chat.findBugs",
    chatWriteTests: "apprentice.chat.writeTests",
    chatDocument: "apprentice.chat.document",
    chatAttachFile: "apprentice.chat.attachFile",
    chatFocusInput: "apprentice.chat.focusInput",
    chatNewChat: "apprentice.chat.newChat",
    chatStop: "apprentice.chat.stop",
    chooseModel: "apprentice.chooseModel",
    downloadRecommendedModel: "apprentice.downloadRecommendedModel",
    deleteModel: "apprentice.deleteModel",
    setBackendApiKey: "apprentice.setBackendApiKey",
    checkBackend: "apprentice.checkBackend"
} as const;
