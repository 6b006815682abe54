/** A deterministic xorshift32 generator in [0, 1): the solvers' seeded choices repeat for the same seed. */
export function xorshift32(seed: number): () => number {
  let st = seed >>> 0 || 1;
  return () => {
    st ^= st << 13;
    st >>>= 0;
    st ^= st >>> 17;
    st ^= st << 5;
    st >>>= 0;
    return st / 4294967296;
  };
}
