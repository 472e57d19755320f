import type { MatchModel } from '../matching/model';
import type { Threshold } from './chart-histogram';
import { COLORS } from './svg';

/** The model's review and match cut-offs as chart lines (review first: it is the lower weight). */
export function modelThresholds(model: MatchModel): Threshold[] {
  return [
    { name: 'review', label: 'review', weight: model.reviewWeightThreshold, color: COLORS.reviewLine },
    { name: 'match', label: 'match', weight: model.matchWeightThreshold, color: COLORS.matchLine },
  ];
}
