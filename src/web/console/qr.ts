import qrcode from 'qrcode-generator';
import { escapeHtml as e } from '../../platform/http/html.js';

/**
 * A QR code of `text` as inline SVG, drawn on the server (qrcode-generator), so the page loads
 * nothing for it: one path of dark modules on a white square with the standard quiet zone.
 * Medium error correction; the size grows with the text.
 */
export function qrSvg(text: string, label: string): string {
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const count = code.getModuleCount();
  const quiet = 4;
  const size = count + quiet * 2;
  let path = '';
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (code.isDark(row, col)) path += `M${col + quiet} ${row + quiet}h1v1h-1z`;
    }
  }
  return `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size * 4}" height="${size * 4}" role="img" aria-label="${e(label)}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#ffffff"/><path d="${path}" fill="#000000"/></svg>`;
}
