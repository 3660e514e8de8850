import { readXml } from '../shared/xml-reader.js';
import type { XmlObject } from '../shared/xml.js';

/*
 * The XML of Ad Manager's SOAP API (document/literal wrapped; developers.google.com/ad-manager/
 * api/soap_xml): requests are written from plain values, answers read into plain objects
 * (../shared/xml.ts); this names the elements Ad Manager's schema makes lists.
 */

/** Elements that are lists in Ad Manager's schema, read as arrays even when one is present. */
const listElements = new Set([
  'results',
  'errors',
  'adUnitSizes',
  'targetedAdUnitIds',
  'targetedAdUnits',
  'targetedPlacementIds',
  'children',
  'valueIds',
  'parentPath',
  'rows',
]);

export function parseXml(text: string): XmlObject {
  return readXml(text, listElements);
}
