export interface BatchOptions<In> {
  /** How long the first item waits for others (for work where a little delay costs nothing). */
  lingerMs?: number;
  /** Most items one statement carries; more wait for the next one. */
  maxItems?: number;
  /** With `maxWeight`: a statement carries items up to that total (e.g. bytes), at least one. */
  weight?: (item: In) => number;
  maxWeight?: number;
  /** Statements under way at once (default 1). */
  concurrency?: number;
}

/**
 * A group commit: items of the same turn of the event loop, and those that arrive while statements
 * are under way, go together in the next statement, so under load one round trip carries many items.
 * `write` gets the items in order and returns one result per item, in the same order. When a batch
 * fails, its items are tried one by one, so one bad item fails alone. With `concurrency` above 1,
 * that many statements may be under way at once (each commit waits for the disk; others can run).
 */
export class Batch<In, Out> {
  private waiting: Array<{
    item: In;
    resolve: (out: Out) => void;
    reject: (err: unknown) => void;
  }> = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly write: (items: In[]) => Promise<Out[]>,
    private readonly options: BatchOptions<In> = {},
  ) {}

  run(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Starts the next statement soon, unless one is about to start or all slots are busy. */
  private schedule(): void {
    if (this.scheduled || !this.waiting.length || this.running >= (this.options.concurrency ?? 1))
      return;
    this.scheduled = true;
    const start = () => {
      this.scheduled = false;
      void this.writeNext();
    };
    const linger = this.options.lingerMs ?? 0;
    if (linger > 0) setTimeout(start, linger);
    else setImmediate(start);
  }

  /** The next statement's items: the longest prefix of the waiting ones within the limits. */
  private next(): typeof this.waiting {
    const { maxItems = 200, weight, maxWeight = Infinity } = this.options;
    let n = 0;
    let total = 0;
    while (n < this.waiting.length && n < maxItems) {
      total += weight ? weight(this.waiting[n].item) : 0;
      if (n > 0 && total > maxWeight) break;
      n++;
    }
    return this.waiting.splice(0, n);
  }

  private async writeNext(): Promise<void> {
    const batch = this.next();
    if (!batch.length) return;
    this.running++;
    this.schedule(); // a free slot takes what arrives meanwhile
    try {
      const outs = await this.write(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(outs[i]));
    } catch (err) {
      if (batch.length === 1) batch[0].reject(err);
      else
        await Promise.all(
          batch.map((b) => this.write([b.item]).then(([out]) => b.resolve(out), b.reject)),
        );
    } finally {
      this.running--;
      this.schedule();
    }
  }
}
