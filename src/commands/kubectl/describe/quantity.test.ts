import { describe, expect, it } from 'vitest';
import { addQuantity, parseQuantity, quantityString, quantityValue } from './quantity';

describe('resource.Quantity', () => {
  it('prints the canonical form', () => {
    expect(quantityString(parseQuantity('100m'))).toBe('100m');
    expect(quantityString(parseQuantity('1000m'))).toBe('1');
    expect(quantityString(parseQuantity('2000'))).toBe('2k');
    expect(quantityString(parseQuantity('1536Mi'))).toBe('1536Mi');
    expect(quantityString(parseQuantity('1Gi'))).toBe('1Gi');
    expect(quantityString(parseQuantity('47266578354'))).toBe('47266578354');
    expect(quantityString(parseQuantity('0'))).toBe('0');
  });
  it('sums in the format of the first operand', () => {
    const s = ['100m', '250m', '200m', '100m', '100m', '100m', '100m'].map(parseQuantity).reduce((a, b) => addQuantity(a, b), undefined as never);
    expect(quantityString(s)).toBe('950m');
    expect(quantityString(addQuantity(parseQuantity('70Mi'), parseQuantity('220Mi')))).toBe('290Mi');
    expect(quantityValue(parseQuantity('3912388Ki'))).toBe(3912388 * 1024);
  });
});
