// RFC 5256 §2.1: the base subject, which SORT SUBJECT orders by and THREAD groups by.

export interface BaseSubject {
  /** Upper-cased for comparison (RFC 5256 §2.1 step 6 leaves the case to the comparator, i;ascii-casemap or i;unicode-casemap). */
  readonly base: string;
  /** A "Re:", "Fw:", "Fwd:", "(fwd)" or "[fwd: …]" was removed (RFC 5256 §2.1, used by THREAD=REFERENCES step 5). */
  readonly replyOrForward: boolean;
}

/** subj-trailer: "(fwd)" or WSP at the end. */
const TRAILER = /(?:\(fwd\)| )$/i;
/** subj-leader with its subj-refwd: *subj-blob ("re" / "fw" ["d"]) *WSP [subj-blob] ":". */
const REFWD = /^(?:\[[^[\]]*\] *)*(?:re|fwd?) *(?:\[[^[\]]*\] *)?:/i;
/** subj-blob: "[" *BLOBCHAR "]" *WSP. */
const BLOB = /^\[[^[\]]*\] */;
/** subj-fwd: "[fwd:" subject "]". */
const FWD_WRAPPER = /^\[fwd:(.*)\]$/is;

export function baseSubject(subject: string): BaseSubject {
  // Step 1: the subject is decoded already (stored so at delivery); runs of white space become one space.
  let s = subject.replace(/[ \t\r\n]+/g, ' ');
  let replyOrForward = false;
  for (;;) {
    // Step 2: trailers.
    for (let m = TRAILER.exec(s); m !== null; m = TRAILER.exec(s)) {
      if (m[0] !== ' ') replyOrForward = true;
      s = s.slice(0, s.length - m[0].length);
    }
    // Steps 3 and 4, until neither changes anything.
    for (;;) {
      const before = s;
      s = s.replace(/^ +/, '');
      const refwd = REFWD.exec(s);
      if (refwd) {
        s = s.slice(refwd[0].length);
        replyOrForward = true;
      }
      const blob = BLOB.exec(s);
      if (blob && s.length > blob[0].length) s = s.slice(blob[0].length);
      if (s === before) break;
    }
    // Step 5: a "[fwd: …]" wrapper, then again from step 2.
    const wrapped = FWD_WRAPPER.exec(s);
    if (!wrapped) break;
    s = wrapped[1]!;
    replyOrForward = true;
  }
  return { base: s.toUpperCase(), replyOrForward };
}
