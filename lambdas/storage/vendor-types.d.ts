/**
 * Minimal typings for the two local servers crm-merge embeds (neither package ships types).
 * Only the surface `local-servers.ts` uses is declared, so a mismatch shows up at compile time there.
 */
declare module 'dynalite' {
  interface DynaliteOptions {
    /** LevelDB directory; in-memory when absent. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    verbose?: boolean;
    debug?: boolean;
  }
  /** Returns a plain `http.Server` whose `close` also closes the LevelDB store (waiting for pending operations). */
  function dynalite(options?: DynaliteOptions): import('node:http').Server;
  export = dynalite;
}

declare module 's3rver' {
  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    serviceEndpoint?: string;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }
  class S3rver {
    constructor(options?: S3rverOptions);
    /** Starts listening; resolves with the bound address. */
    run(): Promise<import('node:net').AddressInfo>;
    close(): Promise<void>;
    /** Set by `run()`. */
    httpServer?: import('node:http').Server;
    /** The filesystem store behind every request (made atomic by `s3rver-atomic-puts.ts`). */
    store: import('./s3rver-atomic-puts').S3rverFilesystemStore;
  }
  export = S3rver;
}
