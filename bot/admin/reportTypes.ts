/** What the report commands need from the reports module (the app passes `Reports`). */
import type { ChartRenderer } from '../../src/infra/charts/renderer';
import type { ReportService } from '../../src/infra/reports/service';

export type { CompareRow } from '../../src/domain/reports/types';
export type { SegmentReport } from '../../src/infra/reports/service';

export interface ReportPort {
  service: Pick<ReportService, 'segment' | 'compare'>;
  renderer: Pick<ChartRenderer, 'svg'>;
}
