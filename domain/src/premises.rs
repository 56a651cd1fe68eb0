//! Laying out a building's apartments over entrances and floors ("generate apartments
//! for a building", seed 000 Fig. 20).

/// Where the `n` apartments of a building go, in number order: `(entrance, floor)`, both
/// from 1. Apartments fill an entrance floor by floor before the next entrance starts,
/// each entrance getting `ceil(n / entrances)` (the last may get fewer) and each floor
/// `ceil(per_entrance / floors)` — the usual numbering of a panel block.
pub fn layout(n: u32, entrances: u32, floors: u32) -> Vec<(u32, u32)> {
    let entrances = entrances.max(1);
    let floors = floors.max(1);
    let per_entrance = n.div_ceil(entrances).max(1);
    let per_floor = per_entrance.div_ceil(floors).max(1);
    (0..n)
        .map(|k| {
            let entrance = k / per_entrance + 1;
            let floor = (k % per_entrance) / per_floor + 1;
            (entrance, floor.min(floors))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_of_two_entrances_and_three_floors() {
        let l = layout(12, 2, 3);
        assert_eq!(l.len(), 12);
        assert_eq!(l[0], (1, 1));
        assert_eq!(l[1], (1, 1));
        assert_eq!(l[2], (1, 2));
        assert_eq!(l[5], (1, 3));
        assert_eq!(l[6], (2, 1));
        assert_eq!(l[11], (2, 3));
    }

    #[test]
    fn uneven_counts_never_exceed_the_building() {
        for (n, e, f) in [(7, 2, 3), (1, 1, 1), (100, 3, 9), (5, 4, 10), (9, 1, 1)] {
            let l = layout(n, e, f);
            assert_eq!(l.len(), n as usize);
            assert!(
                l.iter()
                    .all(|(en, fl)| (1..=e).contains(en) && (1..=f).contains(fl)),
                "{n} {e} {f}: {l:?}"
            );
            // Numbers rise through the building: entrance and floor never go back.
            assert!(l.windows(2).all(|w| w[0] <= w[1]), "{l:?}");
        }
    }
}
