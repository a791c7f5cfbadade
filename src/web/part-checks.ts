/** A part exceeding its whole, in words: the grid, the facet page and the API's readers see the same sentence. */
import type { PartCheck, PartCheckSide } from '../compare/parts.js';
import { positionSays } from './grid.js';

export interface DescribedPartCheck {
  kind: PartCheck['kind'];
  /** "CENTCOM contradicts itself" or "ISWNews contradicts CENTCOM". */
  who: string;
  /** "civilians injured 4 is more than casualties 0". */
  what: string;
  partClaim: number;
  wholeClaim: number;
}

function amount(side: PartCheckSide): string {
  return positionSays({ low: side.low, high: side.high, text: null });
}

export function describePartCheck(check: PartCheck, sourceNames: Map<number, string>): DescribedPartCheck {
  const name = (id: number) => sourceNames.get(id) ?? `source ${id}`;
  const who = check.kind === 'self' ? `${name(check.part.source_id)} contradicts itself` : `${name(check.part.source_id)} contradicts ${name(check.whole.source_id)}`;
  return {
    kind: check.kind,
    who,
    what: `${check.part.facet} ${amount(check.part)} is more than ${check.whole.facet} ${amount(check.whole)}, of which it is part`,
    partClaim: check.part.claim_id,
    wholeClaim: check.whole.claim_id,
  };
}
