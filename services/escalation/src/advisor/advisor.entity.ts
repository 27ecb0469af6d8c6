import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Persistence shape of the seed's `conseillers` (+ capacite; see the migration). */
@Entity({ name: 'conseillers' })
export class AdvisorEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'nom', type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'email', type: 'varchar', length: 100, nullable: true, unique: true })
  email!: string | null;

  @Column({ name: 'telephone', type: 'varchar', length: 20, nullable: true })
  phone!: string | null;

  /** 'disponible' | 'occupe' | 'pause' */
  @Column({ name: 'statut', type: 'varchar', length: 20, default: 'disponible' })
  status!: string;

  /** seed examples: 'sinistre_complexe', 'réclamation', 'info_contrat' */
  @Column({ name: 'specialite', type: 'varchar', length: 100, nullable: true })
  specialty!: string | null;

  @Column({ name: 'nb_dossiers_actifs', type: 'int', default: 0 })
  activeClaims!: number;

  @Column({ name: 'capacite', type: 'int', default: 5 })
  capacity!: number;

  @Column({ name: 'date_creation', type: 'timestamp', default: () => 'NOW()' })
  createdAt!: Date;
}
