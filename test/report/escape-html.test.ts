import { escapeHtml } from '../../lambdas/core/report';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;');
  });

  it('leaves ordinary text, accents and numbers alone', () => {
    expect(escapeHtml('José Müller-Łukasz, 42 Main St.')).toBe('José Müller-Łukasz, 42 Main St.');
    expect(escapeHtml(3.5)).toBe('3.5');
    expect(escapeHtml('')).toBe('');
  });

  it('escapes an ampersand once, so entities in data show literally', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });

  it('leaves no way to open a tag or close an attribute', () => {
    const escaped = escapeHtml('"><script>alert(1)</script><img src=x onerror=alert(1) \'');
    expect(escaped).not.toMatch(/[<>"']/);
  });
});
