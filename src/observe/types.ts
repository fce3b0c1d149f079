/** What an execution's result depended on, one path at a time. */
export type InputSpec =
  | { path: string; kind: 'content' } // a regular file read: its bytes
  | { path: string; kind: 'absent' } // probed (or created) and found missing
  | { path: string; kind: 'exists'; type?: string } // probed: present (with its type when known)
  | { path: string; kind: 'listing'; names: string[] } // the names a directory held before
  | { path: string; kind: 'link' }; // a symlink's target text

/** An input with the fingerprint it had: "sha256:..", "absent", "type:dir", "names:..", "link:..". */
export interface Input {
  path: string;
  kind: InputSpec['kind'];
  type?: string;
  /** listing: the names (the value is their hash) */
  names?: string[];
  value: string;
}

export interface Summary {
  cacheable: boolean;
  /** why not, when not */
  reason?: string;
  /** an access the model does not know: whatever contains this subtree is not cacheable either
   * (unlike a read-then-change, which a parent that made the file first sees as its own doing) */
  unmodelled?: string;
  inputs: InputSpec[];
  /** paths whose final state is the execution's effect */
  outputs: string[];
  /** outputs that did not exist before the subtree created them (made and removed: no effect) */
  created: string[];
  /** outputs the subtree's last change to removed: their final state is absence */
  removed: string[];
  /** the first change the subtree made to each directory entry: what a parent's listing discounts */
  entryChanges: [string, 'added' | 'removed'][];
}
