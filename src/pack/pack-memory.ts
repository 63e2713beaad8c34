/**
 * Layouts the packers reuse between the images of one caller (the build keeps one per build; a
 * single image gets a fresh one). A fleet's images share a few layouts: a seed's metadata depends
 * only on its files' names and sizes, an initrd's archive only on the OS and the config's length.
 */
import type { IsoMetadata } from './iso9660.ts';

/** Layouts kept before a table starts over (bounds memory without an LRU's bookkeeping). */
const MAX_ISO_SHAPES = 1024;
const MAX_INITRD_LAYOUTS = 256;

export interface InitrdLayout {
  readonly archive: Uint8Array;
  /** Where the config's bytes start in the archive. */
  readonly dataAt: number;
}

export class PackMemory {
  private readonly isoShapes = new Map<string, IsoMetadata>();
  private readonly initrdLayouts = new Map<string, InitrdLayout>();

  isoShape(shape: string, make: () => IsoMetadata): IsoMetadata {
    let metadata = this.isoShapes.get(shape);
    if (metadata === undefined) {
      metadata = make();
      if (this.isoShapes.size >= MAX_ISO_SHAPES) this.isoShapes.clear();
      this.isoShapes.set(shape, metadata);
    }
    return metadata;
  }

  initrdLayout(key: string): InitrdLayout | undefined {
    return this.initrdLayouts.get(key);
  }

  keepInitrdLayout(key: string, layout: InitrdLayout): void {
    if (this.initrdLayouts.size >= MAX_INITRD_LAYOUTS) this.initrdLayouts.clear();
    this.initrdLayouts.set(key, layout);
  }
}
