export { defaultCorpusDir, loadCorpus, type Corpus, type CorpusEntry } from "./load-corpus";
export { corpusManifestSchema, type CorpusManifest } from "./manifest";
