export function App() {
  return <h1>Déclarer un sinistre</h1>;
}
