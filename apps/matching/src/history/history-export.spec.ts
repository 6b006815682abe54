import type { HistoryEntryView } from '@app/contracts';
import { CSV_HEADER, csvField, toCsv } from './history.service';

const entry = (overrides: Partial<HistoryEntryView>): HistoryEntryView => ({
  id: 'mutual_1_2_10_15',
  kind: 'BILATERAL',
  partner_name: 'Jane Smith',
  partner_rating: null,
  status: 'COMPLETED',
  items: ['iPad Pro', 'MacBook lessons'],
  created_at: '2025-11-01T10:00:00.000Z',
  completed_at: '2025-11-05T10:00:00.000Z',
  cancelled_at: null,
  rating_given: null,
  review_text: null,
  ...overrides,
});

describe('history CSV export', () => {
  it('has the contract header and renders the contract example row', () => {
    expect(CSV_HEADER.join(',')).toBe('exchange_id,partner_name,status,completed_at,rating_given,items');
    expect(toCsv([entry({})])).toBe(
      'exchange_id,partner_name,status,completed_at,rating_given,items\r\nmutual_1_2_10_15,Jane Smith,COMPLETED,2025-11-05T10:00:00.000Z,,"iPad Pro, MacBook lessons"\r\n',
    );
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and leaves plain fields alone', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(5)).toBe('5');
    const row = toCsv([entry({ partner_name: 'O"Brien, Jr.', items: ['Стул "Икея"'], completed_at: null })]).split('\r\n')[1];
    expect(row).toBe('mutual_1_2_10_15,"O""Brien, Jr.",COMPLETED,,,"Стул ""Икея"""');
  });
});
