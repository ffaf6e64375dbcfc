/** Command ids, once. They match `contributes.commands` in package.json. */
export const Commands = {
    restartEngine: "apprentice.restartEngine",
    selectModelFile: "apprentice.selectModelFile",
    showLog: "apprentice.showLog",
    openSettings: "apprentice.openSettings",
    showMenu: "apprentice.showMenu",
    chooseModel: "apprentice.chooseModel",
    downloadRecommendedModel: "apprentice.downloadRecommendedModel",
    deleteModel: "apprentice.deleteModel",
    toggleCompletion: "apprentice.toggleCompletion",
    showCompletionStats: "apprentice.showCompletionStats"
} as const;
