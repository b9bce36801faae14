/** Most items one statement carries; more wait for the next one. */
const MAX_BATCH = 200;

/**
 * A group commit: items of the same turn of the event loop, and those that arrive while a statement
 * is under way, go together in the next statement, so under load one round trip carries many items.
 * `write` gets the items in order and returns one result per item, in the same order. When a batch
 * fails, its items are tried one by one, so one bad item fails alone.
 */
export class Batch<In, Out> {
  private waiting: Array<{
    item: In;
    resolve: (out: Out) => void;
    reject: (err: unknown) => void;
  }> = [];
  private writing = false;

  constructor(private readonly write: (items: In[]) => Promise<Out[]>) {}

  run(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        try {
          const outs = await this.write(batch.map((b) => b.item));
          batch.forEach((b, i) => b.resolve(outs[i]));
        } catch (err) {
          if (batch.length === 1) batch[0].reject(err);
          else
            await Promise.all(
              batch.map((b) => this.write([b.item]).then(([out]) => b.resolve(out), b.reject)),
            );
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
