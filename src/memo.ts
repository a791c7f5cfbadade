/** `read` with each key's answer kept for as long as the returned function is: one export, one query's rows. */
export function memo<K, V>(read: (key: K) => V): (key: K) => V {
  const answers = new Map<K, V>();
  return (key) => {
    if (answers.has(key)) return answers.get(key)!;
    const answer = read(key);
    answers.set(key, answer);
    return answer;
  };
}
