import type { EChartsCoreOption } from 'echarts/core';
import { escapeHtml } from '../escape.ts';
import { trustedHtml, type SafeHtml } from './safe-html.ts';

/** An ECharts option; loosely typed on purpose (ECharts' own option types are very wide). */
export type ChartOption = EChartsCoreOption;

export interface ChartSize {
  width: number;
  height: number;
}

/** Turns an option into inline SVG markup. */
export type RenderChart = (option: ChartOption, size: ChartSize, label: string) => SafeHtml;

export const FONT_FAMILY = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif';

type Echarts = typeof import('echarts/core');
let loading: Promise<Echarts> | undefined;

/**
 * ECharts with only what the report draws, loaded on first use: it takes a second or two to load,
 * which `harness gate` (no HTML) should not pay.
 */
function loadEcharts(): Promise<Echarts> {
  loading ??= (async () => {
    const [echarts, charts, components, renderers] = await Promise.all([
      import('echarts/core'),
      import('echarts/charts'),
      import('echarts/components'),
      import('echarts/renderers'),
    ]);
    echarts.use([
      charts.LineChart,
      charts.BarChart,
      charts.ScatterChart,
      components.GridComponent,
      components.LegendComponent,
      components.TitleComponent,
      components.MarkAreaComponent,
      components.MarkLineComponent,
      renderers.SVGRenderer,
    ]);
    return echarts;
  })();
  return loading;
}

/**
 * A chart renderer using ECharts' server-side rendering: SVG markup, no DOM, no script. ECharts
 * escapes the text it writes into the SVG (legend, axis, mark labels); the report's tests check it
 * with hostile names. Its hover styles are dropped: without ECharts running in the page they would
 * only recolour shapes under the pointer.
 */
export async function chartRenderer(): Promise<RenderChart> {
  const echarts = await loadEcharts();
  return (option, size, label) => {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
    try {
      chart.setOption({ animation: false, textStyle: { fontFamily: FONT_FAMILY }, ...option });
      const svg = chart
        .renderToSVGString()
        .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
        .replace('<svg ', `<svg role="img" aria-label="${escapeHtml(label)}" `);
      return trustedHtml(svg);
    } finally {
      chart.dispose();
    }
  };
}
