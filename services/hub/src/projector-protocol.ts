/** Messages between the hub's main thread and its projector thread. */
export type ToProjectorThread =
  { readonly type: 'caughtUp'; readonly id: number } | { readonly type: 'stop' };

export type FromProjectorThread =
  | { readonly type: 'started' }
  /** `code`: the error's own (e.g. `SQLITE_FULL`), so the main thread can tell what failed. */
  | { readonly type: 'failed'; readonly reason: string; readonly code?: string }
  | { readonly type: 'caughtUp'; readonly id: number; readonly error?: string };
