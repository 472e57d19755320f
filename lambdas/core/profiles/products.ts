/**
 * Product names compare without case or spacing: exports spell the same plan "Fiber 1G", "FIBER 1G" and
 * "Fiber1G", and an offer must recognise all of them as the product already held.
 */
export function productKey(product: string): string {
  return product.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}
