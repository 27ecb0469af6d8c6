// Pure rules: `now` and ids come in as arguments, unit tested without I/O (widget.rules.spec.ts).
import type { WidgetEntity } from './widget.entity';
import type { CreateWidget } from './widget.inputs';

/** decide: everything the command writes, from what was loaded (here, nothing). */
export function decideCreateWidget(command: CreateWidget, id: string, now: Date): { row: WidgetEntity } {
  return { row: { id, name: command.name, createdAt: now } };
}
