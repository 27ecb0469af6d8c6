import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Persistence shape of `widgets`: the seed's French column names, English property names. */
@Entity({ name: 'widgets' })
export class WidgetEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'nom', type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'date_creation', type: 'timestamptz' })
  createdAt!: Date;
}
