/**
 * `read` with each key's answer kept for as long as the returned function is: one comparison, one
 * export, one query's rows. Pure, so the comparison core may use it too.
 */
export function memo<K, V>(read: (key: K) => V): (key: K) => V {
  const answers = new Map<K, V>();
  return (key) => {
    // One look-up for the usual hit; `has` only tells a stored undefined from a miss.
    let answer = answers.get(key);
    if (answer === undefined && !answers.has(key)) answers.set(key, (answer = read(key)));
    return answer as V;
  };
}
