import { describe, expect, it } from 'vitest';
import {
  readXml,
  XmlReadError,
} from '../../../src/modules/ad-servers/adapters/shared/xml-reader.js';

describe('the XML reader of Ad Manager answers', () => {
  it('reads elements, attributes, text and references', () => {
    expect(readXml(`<r xmlns:s="u"><a x="1" y='2' s:z="&amp;3">t &#x41;</a><b/><b/></r>`)).toEqual({
      r: { a: { '@_x': '1', '@_y': '2', '@_z': '&3', '#text': 't A' }, b: ['', ''] },
    });
  });

  it('refuses a tag whose attributes are not name="value" pairs, in one pass', () => {
    // 8 MB of one attribute-less token: a rescanning pattern would take hours here.
    expect(() => readXml(`<a ${'x'.repeat(8_000_000)}></a>`)).toThrow(XmlReadError);
    expect(() => readXml(`<a x="1" y></a>`)).toThrow(/Malformed attribute/);
  });

  it('refuses documents over its size and depth limits', () => {
    expect(() => readXml('<a>xxxxxxxx</a>', new Set(), { maxLength: 10 })).toThrow(
      /over 10 characters/,
    );
    const nested = (depth: number) => '<a>'.repeat(depth) + '</a>'.repeat(depth);
    expect(() => readXml(nested(101))).toThrow(/nested over 100 deep/);
    expect(readXml(nested(100))).toHaveProperty('a');
  });

  it('answers a bad character reference or a truncated document as an XmlReadError', () => {
    expect(() => readXml('<a>&#x110000;</a>')).toThrow(XmlReadError);
    expect(() => readXml('<a><b>1</a>')).toThrow(XmlReadError);
    expect(() => readXml('<a><b>1')).toThrow(XmlReadError);
    expect(() => readXml('<!DOCTYPE a [<!ENTITY x "y">]><a/>')).toThrow(XmlReadError);
  });
});
