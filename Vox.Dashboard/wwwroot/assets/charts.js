// Small SVG charts for the dashboard: no library, no build step. Each function returns SVG markup; values are numbers.
"use strict";
(function () {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 640;
  const esc = s => String(s).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  const nice = max => { if (max <= 0) return 1; const p = Math.pow(10, Math.floor(Math.log10(max))); const m = max / p; return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p; };

  function axes(h, pad, top, labelsX) {
    let out = '';
    for (let i = 0; i <= 4; i++) {
      const y = pad.t + (h - pad.t - pad.b) * (1 - i / 4);
      out += `<line x1="${pad.l}" x2="${W - pad.r}" y1="${y}" y2="${y}" stroke="#e3e6eb"/>`;
      out += `<text x="${pad.l - 6}" y="${y + 4}" text-anchor="end">${esc(+(top * i / 4).toFixed(top < 10 ? 1 : 0))}</text>`;
    }
    labelsX.forEach(([x, label], i) => {
      // The outermost labels are anchored inwards so they are not clipped at the chart's edges.
      const anchor = labelsX.length > 1 && i === 0 && x <= pad.l + 1 ? 'start' : labelsX.length > 1 && i === labelsX.length - 1 && x >= W - pad.r - 1 ? 'end' : 'middle';
      out += `<text x="${x}" y="${h - 6}" text-anchor="${anchor}">${esc(label)}</text>`;
    });
    return out;
  }

  // series: [{ name, color, points: [[t, v], ...] }] with t in ms; a step line per series.
  function lines(series, opts) {
    const h = opts.height || 220, pad = { l: 40, r: 12, t: 10, b: 24 };
    const all = series.flatMap(s => s.points);
    if (all.length === 0) return `<svg class="chart" viewBox="0 0 ${W} 60" role="img" aria-label="${esc(opts.label)}"><text x="${W / 2}" y="34" text-anchor="middle">No samples yet</text></svg>`;
    const t0 = Math.min(...all.map(p => p[0])), t1 = Math.max(...all.map(p => p[0]), t0 + 1);
    const top = nice(Math.max(...all.map(p => p[1]), 1));
    const x = t => pad.l + (W - pad.l - pad.r) * (t - t0) / (t1 - t0);
    const y = v => pad.t + (h - pad.t - pad.b) * (1 - v / top);
    const labels = [0, 0.5, 1].map(f => [x(t0 + (t1 - t0) * f), new Date(t0 + (t1 - t0) * f).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })]);
    let out = axes(h, pad, top, labels);
    for (const s of series) {
      if (s.points.length === 0) continue;
      let d = `M${x(s.points[0][0]).toFixed(1)},${y(s.points[0][1]).toFixed(1)}`;
      for (let i = 1; i < s.points.length; i++) d += `H${x(s.points[i][0]).toFixed(1)}V${y(s.points[i][1]).toFixed(1)}`;
      out += `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`;
    }
    return `<svg class="chart" viewBox="0 0 ${W} ${h}" role="img" aria-label="${esc(opts.label)}">${out}</svg>`;
  }

  // buckets: [{ label, values: [v1, v2, ...] }], colors per value index; stacked vertical bars.
  function bars(buckets, colors, opts) {
    const h = opts.height || 200, pad = { l: 40, r: 12, t: 10, b: 24 };
    if (buckets.length === 0) return `<svg class="chart" viewBox="0 0 ${W} 60" role="img" aria-label="${esc(opts.label)}"><text x="${W / 2}" y="34" text-anchor="middle">No calls in this window</text></svg>`;
    const top = nice(Math.max(...buckets.map(b => b.values.reduce((a, v) => a + v, 0)), 1));
    const slot = (W - pad.l - pad.r) / buckets.length, bw = Math.max(2, slot * 0.7);
    const y = v => (h - pad.t - pad.b) * v / top;
    const step = Math.ceil(buckets.length / 6);
    const labels = buckets.map((b, i) => [pad.l + slot * i + slot / 2, b.label]).filter((_, i) => i % step === 0);
    let out = axes(h, pad, top, labels);
    buckets.forEach((b, i) => {
      let base = h - pad.b;
      b.values.forEach((v, k) => {
        if (v <= 0) return;
        const bh = y(v); base -= bh;
        out += `<rect x="${(pad.l + slot * i + (slot - bw) / 2).toFixed(1)}" y="${base.toFixed(1)}" width="${bw.toFixed(1)}" height="${bh.toFixed(1)}" fill="${colors[k]}"><title>${esc(b.label)}: ${v}</title></rect>`;
      });
    });
    return `<svg class="chart" viewBox="0 0 ${W} ${h}" role="img" aria-label="${esc(opts.label)}">${out}</svg>`;
  }

  // rows: [{ label, parts: [{ name, value, color }], marker }]; stacked horizontal bars in ms, marker = a tick (voice-to-voice).
  function stacked(rows, opts) {
    const rh = 26, pad = { l: 104, r: 70, t: 8, b: 22 }, h = pad.t + pad.b + rows.length * rh;
    if (rows.length === 0) return `<svg class="chart" viewBox="0 0 ${W} 60" role="img" aria-label="${esc(opts.label)}"><text x="${W / 2}" y="34" text-anchor="middle">No turn metrics</text></svg>`;
    const top = nice(Math.max(...rows.map(r => Math.max(r.parts.reduce((a, p) => a + (p.value || 0), 0), r.marker || 0)), 1));
    const x = v => pad.l + (W - pad.l - pad.r) * v / top;
    let out = '';
    for (let i = 0; i <= 4; i++) {
      const gx = x(top * i / 4);
      out += `<line x1="${gx}" x2="${gx}" y1="${pad.t}" y2="${h - pad.b}" stroke="#e3e6eb"/><text x="${gx}" y="${h - 6}" text-anchor="middle">${Math.round(top * i / 4)} ms</text>`;
    }
    rows.forEach((r, i) => {
      const yy = pad.t + i * rh + 4;
      out += `<text x="${pad.l - 6}" y="${yy + 13}" text-anchor="end">${esc(r.label)}</text>`;
      let at = 0;
      for (const p of r.parts) {
        if (!p.value) continue;
        out += `<rect x="${x(at).toFixed(1)}" y="${yy}" width="${(x(at + p.value) - x(at)).toFixed(1)}" height="18" fill="${p.color}"><title>${esc(p.name)}: ${Math.round(p.value)} ms</title></rect>`;
        at += p.value;
      }
      if (r.marker) {
        out += `<line x1="${x(r.marker)}" x2="${x(r.marker)}" y1="${yy - 3}" y2="${yy + 21}" stroke="#111827" stroke-width="2"><title>voice-to-voice: ${Math.round(r.marker)} ms</title></line>`;
        out += `<text x="${W - pad.r + 6}" y="${yy + 13}">${Math.round(r.marker)} ms</text>`;
      }
    });
    return `<svg class="chart" viewBox="0 0 ${W} ${h}" role="img" aria-label="${esc(opts.label)}">${out}</svg>`;
  }

  window.VoxCharts = { lines, bars, stacked, NS };
})();
