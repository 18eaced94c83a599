/*
 * mrz_vectors.h - the ICAO Doc 9303 specimen zones, as test vectors.
 *
 * Reconstructed from the specimens of Part 4 (TD3), Part 5 (TD1, and its
 * example of a document number longer than 9 characters), Part 6 (TD2) and
 * Part 7 (MRV-A, MRV-B); the check digits below were worked by hand and
 * agree with rcms_mrz_check_digit.  Weights 7 3 1; A=10 ... Z=35, <=0.
 *
 *   L898902C3  L=21 8 9 8 9 0 2 C=12 3
 *              147+24+9+56+27+0+14+36+3 = 316          -> 6
 *   740812     49+12+0+56+3+2 = 122                    -> 2
 *   120415     7+6+0+28+3+5 = 49                       -> 9
 *   520727     35+6+0+49+6+7 = 103                     -> 3
 *   D23145890  D=13: 91+6+3+7+12+5+56+27+0 = 207       -> 7
 *   L8988901C  147+24+9+56+24+9+0+3+12 = 284           -> 4
 *   400907     28+0+0+63+0+7 = 98                      -> 8
 *   961210     63+18+1+14+3+0 = 99                     -> 9
 *   ZE184226B<<<<<  Z=35 E=14 B=11:
 *              245+42+1+56+12+2+14+18+11 = 401         -> 1
 *   D23145890734 (TD1 long): 207 + 7*7+3*3+1*4 = 269   -> 9
 *   TD3 composite over L898902C36 7408122 1204159ZE184226B<<<<<1  -> 0
 */
#ifndef RCMS_TESTS_MRZ_VECTORS_H
#define RCMS_TESTS_MRZ_VECTORS_H

/* Part 4: passport (TD3), Anna Maria Eriksson of Utopia */
#define MRZ_TD3_L1 "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
#define MRZ_TD3_L2 "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
#define MRZ_TD3 MRZ_TD3_L1 "\n" MRZ_TD3_L2

/* Part 5: identity card (TD1) */
#define MRZ_TD1_L1 "I<UTOD231458907<<<<<<<<<<<<<<<"
#define MRZ_TD1_L2 "7408122F1204159UTO<<<<<<<<<<<6"
#define MRZ_TD1_L3 "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
#define MRZ_TD1 MRZ_TD1_L1 "\n" MRZ_TD1_L2 "\n" MRZ_TD1_L3

/* Part 5: TD1 with the 12-character document number D23145890734 */
#define MRZ_TD1_LONG_L1 "I<UTOD23145890<7349<<<<<<<<<<<"
#define MRZ_TD1_LONG_L2 "3407127M9507122UTO<<<<<<<<<<<2"
#define MRZ_TD1_LONG_L3 "STEVENSON<<PETER<JOHN<<<<<<<<<"
#define MRZ_TD1_LONG \
	MRZ_TD1_LONG_L1 "\n" MRZ_TD1_LONG_L2 "\n" MRZ_TD1_LONG_L3

/* Part 6: TD2 */
#define MRZ_TD2_L1 "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<"
#define MRZ_TD2_L2 "D231458907UTO7408122F1204159<<<<<<<6"
#define MRZ_TD2 MRZ_TD2_L1 "\n" MRZ_TD2_L2

/* Part 7: visa MRV-A */
#define MRZ_MRVA_L1 "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
#define MRZ_MRVA_L2 "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"
#define MRZ_MRVA MRZ_MRVA_L1 "\n" MRZ_MRVA_L2

/* Part 7: visa MRV-B */
#define MRZ_MRVB_L1 "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<"
#define MRZ_MRVB_L2 "L8988901C4XXX4009078F9612109<<<<<<<<"
#define MRZ_MRVB MRZ_MRVB_L1 "\n" MRZ_MRVB_L2

#endif
