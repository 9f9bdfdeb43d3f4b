/** Messages between the hub's main thread and its projector thread. */
export type ToProjectorThread =
  { readonly type: 'caughtUp'; readonly id: number } | { readonly type: 'stop' };

export type FromProjectorThread =
  | { readonly type: 'started' }
  | { readonly type: 'failed'; readonly reason: string }
  | { readonly type: 'caughtUp'; readonly id: number; readonly error?: string };
