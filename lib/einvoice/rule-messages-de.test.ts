import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from './model';
import { readEInvoiceXml } from './read';
import { germanRuleMessage, hasGermanRuleMessage } from './rule-messages-de';
import { validate } from './rules';
import { sampleFiles, sampleText } from './test-samples';

const SOURCE = readFileSync(path.join(import.meta.dirname, 'rules.ts'), 'utf8');
const PEPPOL_SOURCE = readFileSync(path.join(import.meta.dirname, 'peppol.ts'), 'utf8');
const PREFIXES = [...SOURCE.matchAll(/prefix: '(BR-[A-Z]+)'/g)].map((m) => m[1]!);
const CATEGORY_NUMBERS = [...new Set([...SOURCE.matchAll(/report\(`\$\{p\}-(\d\d)`/g)].map((m) => m[1]!))];

/** Every rule id rules.ts can report: literals, the mismatch and decimal checks, and the VAT category families. */
function reportedRuleIds(): string[] {
  const literal = [...SOURCE.matchAll(/'((?:BR|SYNTAX)-[A-Z0-9-]+)'/g)].map((m) => m[1]!).filter((id) => !PREFIXES.includes(id));
  const peppol = [...PEPPOL_SOURCE.matchAll(/'(PEPPOL-EN16931-R\d+)'/g)].map((m) => m[1]!);
  return [...new Set([...literal, ...peppol, ...PREFIXES.flatMap((p) => CATEGORY_NUMBERS.map((n) => `${p}-${n}`))])].sort();
}

function expectGerman(findings: readonly Finding[]): void {
  for (const f of findings) {
    const german = germanRuleMessage(f);
    expect(german, `${f.rule}: ${f.message}`).not.toBeNull();
    expect(german, f.rule).not.toMatch(/undefined|\$\{|\{\w+\}/);
  }
}

const BIS = sampleText('en16931-ubl/BIS3_Invoice_positive.XML');

describe('German rule messages', () => {
  it('exist for every rule id the validator reports', () => {
    const ids = reportedRuleIds();
    expect(ids.length).toBeGreaterThan(100);
    expect(ids).toContain('PEPPOL-EN16931-R120');
    expect(CATEGORY_NUMBERS.sort()).toEqual(['01', '02', '05', '06', '07', '08', '09', '10']);
    expect(ids.filter((id) => !hasGermanRuleMessage(id))).toEqual([]);
  });

  it('are complete for every finding on the samples', () => {
    for (const file of sampleFiles().filter((f) => /\.xml$/i.test(f))) expectGerman(validate(readEInvoiceXml(sampleText(file))));
  });

  it('name the values the English message names', () => {
    const broken = validate(readEInvoiceXml(BIS.replace('<cbc:PayableAmount currencyID="DKK">782179.43', '<cbc:PayableAmount currencyID="DKK">782179.44')));
    const coSixteen = broken.find((f) => f.rule === 'BR-CO-16')!;
    expect(germanRuleMessage(coSixteen)).toBe('Der fällige Betrag (BT-115) muss BT-112 − BT-113 + BT-114 entsprechen: angegeben 782179.44, berechnet 782179.43.');
    const zeroRated = validate(readEInvoiceXml(BIS.replace(/(<cac:ClassifiedTaxCategory>\s*<cbc:ID>S<\/cbc:ID>\s*<cbc:Percent>)25/, '$10')));
    expectGerman(zeroRated);
    expect(zeroRated.map(germanRuleMessage)).toContainEqual(expect.stringMatching(/^Position 1 in Kategorie S muss einen Umsatzsteuersatz größer als null haben \(BT-152 ist 0\)\.$/));
    const noIban = validate(readEInvoiceXml(BIS.replace(/<cac:PayeeFinancialAccount>[\s\S]*?<\/cac:PayeeFinancialAccount>/, '')));
    expect(noIban.map(germanRuleMessage)).toEqual(['Zahlungsmittel 58 ist eine Überweisung, also muss die Kennung des Zahlungskontos (BT-84, die IBAN) angegeben sein.']);
  });

  it('tell the two wordings of a rule apart, and leave unknown rules to English', () => {
    expect(germanRuleMessage({ rule: 'BR-CO-11', element: 'BT-107', params: undefined })).toMatch(/^Es gibt Nachlässe/);
    expect(germanRuleMessage({ rule: 'BR-AE-02', element: 'BT-48', params: { code: 'AE' } })).toMatch(/des Käufers\.$/);
    expect(germanRuleMessage({ rule: 'BR-AE-10', element: 'BT-120', params: { code: 'AE', reason: 'required' } })).toMatch(/muss einen Befreiungsgrund/);
    expect(germanRuleMessage({ rule: 'PEPPOL-EN16931-R999', element: 'BT-23' })).toBeNull();
    expect(germanRuleMessage({ rule: 'PEPPOL-EN16931-R040', element: 'BT-136', params: { kind: 'allowance', line: '2', value: '5.00' } })).toBe('Peppol: Der Betrag 5.00 des Nachlasses (Position 2) muss Basisbetrag × Prozentsatz / 100 entsprechen.');
  });
});
