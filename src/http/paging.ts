/**
 * Iteration over pages that loses nothing and never loops: items already yielded in the last pages
 * are skipped (a page boundary can shift while you read), and a page that brings nothing new stops
 * the iteration with an error instead of asking for the same page forever.
 */
import { InvalidResponseError } from './errors.js';

// Ids remembered from recent pages; bounded, so iterating a huge list keeps constant memory.
const REMEMBERED_IDS = 5_000;

export class PageProgress {
  #recent = new Set<string>();
  #stalled = 0;
  readonly #where: string;

  constructor(where: string) {
    this.#where = where;
  }

  /** The items of `page` not yielded before, remembering them. */
  fresh<T extends { id: string }>(page: readonly T[]): T[] {
    const fresh = page.filter((item) => !this.#recent.has(item.id));
    for (const item of fresh) {
      this.#recent.add(item.id);
      if (this.#recent.size > REMEMBERED_IDS) this.#recent.delete(this.#recent.values().next().value!);
    }
    return fresh;
  }

  /**
   * Throws after two pages in a row brought nothing new: a server that ignores the page position
   * would otherwise be asked for the same page forever. (One such page can happen when many new
   * items arrive at the top of a list while you read it.)
   */
  assertProgress(freshCount: number, pageSize: number): void {
    this.#stalled = freshCount === 0 && pageSize > 0 ? this.#stalled + 1 : 0;
    if (this.#stalled >= 2) {
      throw new InvalidResponseError(
        `${this.#where} returned two pages in a row of items already seen; stopping so the iteration cannot loop forever`,
        {
          status: 200,
          path: this.#where,
          body: undefined,
        },
      );
    }
  }
}

/** One page of an offset-paged list, and whether the list goes on after `nextOffset`. */
export interface OffsetPage<T> {
  items: readonly T[];
  hasMore(nextOffset: number): boolean;
}

/**
 * Every item of an offset-paged list, page after page, none twice and never looping (see
 * {@link PageProgress}). `progress` may be shared with a later pass over the same list.
 */
export async function* iterateByOffset<T extends { id: string }>(
  where: string,
  fetchPage: (offset: number) => Promise<OffsetPage<T>>,
  progress = new PageProgress(where),
): AsyncGenerator<T> {
  for (let offset = 0; ; ) {
    const page = await fetchPage(offset);
    const fresh = progress.fresh(page.items);
    yield* fresh;
    progress.assertProgress(fresh.length, page.items.length);
    offset += page.items.length;
    if (page.items.length === 0 || !page.hasMore(offset)) return;
  }
}

/**
 * After a pass over a list ordered newest change first, the items changed while it ran: they
 * jumped to the top, ahead of where the pass was, so it never reached them. Pages from the top
 * are read until one holds an item changed before `since`; their unseen items are yielded. At
 * most `maxPasses` rounds, for changes that go on during the sweep itself.
 */
export async function* sweepChangedSince<T extends { id: string }>(
  progress: PageProgress,
  since: number,
  changedAt: (item: T) => number,
  fetchPage: (offset: number) => Promise<OffsetPage<T>>,
  maxPasses = 3,
): AsyncGenerator<T> {
  for (let pass = 0; pass < maxPasses; pass++) {
    let found = 0;
    for (let offset = 0; ; ) {
      const page = await fetchPage(offset);
      const changed = page.items.filter((item) => changedAt(item) > since);
      const fresh = progress.fresh(changed);
      found += fresh.length;
      yield* fresh;
      offset += page.items.length;
      if (changed.length < page.items.length || page.items.length === 0 || !page.hasMore(offset)) break;
    }
    if (found === 0) return;
  }
}
